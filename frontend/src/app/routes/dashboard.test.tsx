import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi, makeMe, makeTicket } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { DashboardPage } from './dashboard';

const OPEN = ['new', 'open', 'pending', 'on_hold'];
const BUILT_IN_VIEWS = [
  { id: 'builtin:mine', name: 'My open tickets', filters: { assignee: 'me', status: OPEN }, count: 12 },
  {
    id: 'builtin:unassigned',
    name: 'Unassigned',
    filters: { assignee: 'unassigned', status: ['new', 'open'] },
    count: 4,
  },
  { id: 'builtin:open', name: 'All open', filters: { status: OPEN }, count: 57 },
  { id: 'builtin:urgent', name: 'Urgent', filters: { priority: ['urgent'], status: OPEN }, count: 1 },
  {
    id: 'builtin:sla-at-risk',
    name: 'SLA at risk',
    filters: { sla_due_before: '2025-01-01T11:00:00+00:00' },
    count: 0,
  },
].map((view) => ({ ...view, builtin: true, shared: true, owner_id: null }));

function fakeBackend({ viewsFail = false } = {}) {
  return installFakeApi((request) => {
    if (request.path === '/tickets')
      return {
        body: {
          items: [
            makeTicket({
              subject: `List for ${request.search.getAll('status').join('+')} ${request.search.get('priority') ?? 'any'}`,
            }),
          ],
          next_cursor: null,
        },
      };
    if (request.path === '/views' && viewsFail) return { status: 503, body: { title: 'Unavailable', status: 503 } };
    if (request.path === '/views')
      return {
        body: {
          items: [
            ...BUILT_IN_VIEWS,
            { id: 'v1', name: 'VIP', filters: { tag: 'vip' }, shared: true, builtin: false, count: 7 },
          ],
          next_cursor: null,
        },
      };
    if (request.path === '/users') return { body: { items: [], next_cursor: null } };
    if (request.path === '/me') return { body: makeMe() };
    return undefined;
  });
}

describe('Dashboard URL <-> filters', () => {
  it('reads the filters from the URL and marks the matching built-in view', async () => {
    const { calls } = fakeBackend();
    renderWithProviders(<DashboardPage />, {
      url: '/?status=open&assignee=me&status=new&status=pending&status=on_hold',
    });

    expect(await screen.findByRole('heading', { level: 1, name: 'My open tickets' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^My open tickets/ })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByLabelText('Assignee')).toHaveValue('me');
    const listCall = calls.find((c) => c.path === '/tickets')!;
    expect(listCall.search.getAll('status')).toEqual(['new', 'open', 'pending', 'on_hold']);
  });

  it('writes a filter change into the URL, and Back restores the previous filters', async () => {
    fakeBackend();
    renderWithProviders(<DashboardPage />, { url: '/?status=open' });
    await screen.findByText('List for open any');

    fireEvent.change(screen.getByLabelText('Priority'), { target: { value: 'urgent' } });

    await waitFor(() => expect(window.location.search).toBe('?status=open&priority=urgent'));
    expect(await screen.findByText('List for open urgent')).toBeInTheDocument();

    window.history.back();
    await waitFor(() => expect(window.location.search).toBe('?status=open'));
    await waitFor(() => expect(screen.getByLabelText('Priority')).toHaveValue(''));
    expect(screen.getByText('List for open any')).toBeInTheDocument();
  });

  it('applies a keyword search on submit and shows saved views with counts', async () => {
    fakeBackend();
    renderWithProviders(<DashboardPage />, { url: '/' });
    expect(await screen.findByRole('link', { name: /VIP \(shared\)/ })).toHaveAttribute('href', '/?tag=vip');
    expect(screen.getByLabelText('7 tickets')).toBeInTheDocument();

    fireEvent.input(screen.getByLabelText('Search tickets'), { target: { value: 'refund' } });
    fireEvent.submit(screen.getByRole('search'));

    await waitFor(() => expect(window.location.search).toBe('?q=refund'));
  });

  it('shows every view from the API with its count, built-in views first', async () => {
    fakeBackend();
    renderWithProviders(<DashboardPage />, { url: '/' });

    const views = await screen.findByRole('navigation', { name: 'Views' });
    await waitFor(() => expect(views.querySelectorAll('a.view-link')).toHaveLength(6));
    const names = [...views.querySelectorAll('.view-link__name')].map((n) => n.textContent);
    expect(names).toEqual(['My open tickets', 'Unassigned', 'All open', 'Urgent', 'SLA at risk', 'VIP (shared)']);
    expect(screen.getByRole('link', { name: /All open/ })).toHaveTextContent('57');
    expect(screen.getByLabelText('57 tickets')).toBeInTheDocument();
    expect(screen.getByLabelText('1 ticket')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Urgent/ })).toHaveAttribute(
      'href',
      '/?status=new&status=open&status=pending&status=on_hold&priority=urgent',
    );
  });

  it('names the SLA-at-risk list after its view even once the view moved its instant', async () => {
    fakeBackend();
    renderWithProviders(<DashboardPage />, { url: '/?sla_due_before=2025-01-01T10%3A59%3A00%2B00%3A00' });
    expect(await screen.findByRole('heading', { level: 1, name: 'SLA at risk' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /SLA at risk/ })).toHaveAttribute('aria-current', 'page');
  });

  it('falls back to the built-in filters (without counts) when the views cannot be loaded', async () => {
    fakeBackend({ viewsFail: true });
    renderWithProviders(<DashboardPage />, { url: '/?assignee=unassigned&status=new&status=open' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Unassigned' })).toBeInTheDocument();
    const views = screen.getByRole('navigation', { name: 'Views' });
    expect(views.querySelectorAll('a.view-link')).toHaveLength(6); // Spam included
    expect(views.querySelector('.view-link__count')).toBeNull();
    expect(screen.getByRole('link', { name: 'Unassigned' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('alert')).toHaveTextContent('Unavailable');
  });
});
