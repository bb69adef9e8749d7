import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi, makeMe, makeTicket } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { DashboardPage } from './dashboard';

function fakeBackend() {
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
    if (request.path === '/views')
      return {
        body: {
          items: [{ id: 'v1', name: 'VIP', filters: { tag: 'vip' }, shared: true, count: 7 }],
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
    expect(screen.getByRole('link', { name: 'My open tickets' })).toHaveAttribute('aria-current', 'page');
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
});
