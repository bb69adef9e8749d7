import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { type FakeRequest, installFakeApi, makeMe, makeTicket } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import type { Me, User } from '@/types/api';
import { unwatchTicket, watchTicket } from '../api/watchers';
import { TicketView } from './ticket-view';

function user(id: string, name: string, overrides: Partial<User> = {}): User {
  return { ...makeMe().user, id, name, email: `${id}@example.com`, ...overrides };
}

const TEAM = [
  makeMe().user,
  user('u-ben', 'Ben Lead', { role: 'lead' }),
  user('u-cleo', 'Cleo Agent'),
  user('u-dan', 'Dan Viewer', { role: 'viewer' }),
  user('u-old', 'Olga Gone', { active: false }),
];

/** A ticket server that keeps its watchers, answering PUT/DELETE /tickets/t1/watchers/{id|me}. */
function ticketServer({ watchers = [] as string[], permissions = makeMe().permissions as Me['permissions'] } = {}) {
  let current = [...watchers];
  const fake = installFakeApi((r: FakeRequest) => {
    if (r.path === '/me') return { body: makeMe(permissions) };
    if (r.path === '/users') return { body: { items: TEAM, next_cursor: null } };
    if (r.path === '/tickets/t1') return { body: { ticket: makeTicket(), comments: [], watchers: current } };
    const match = /^\/tickets\/t1\/watchers\/([^/]+)$/.exec(r.path);
    if (match) {
      const id = match[1] === 'me' ? 'u-me' : match[1];
      current = r.method === 'PUT' ? [...new Set([...current, id])].sort() : current.filter((w) => w !== id);
      return { body: { watchers: current } };
    }
    return undefined;
  });
  return { ...fake, watchers: () => current };
}

const panel = () => screen.findByRole('region', { name: /Watchers/ });

describe('watchers API', () => {
  it('adds and removes a watcher with PUT and DELETE on /tickets/{id}/watchers/{user}', async () => {
    const { calls } = installFakeApi((r) => ({ body: { watchers: r.method === 'PUT' ? ['u-me'] : [] } }));
    expect(await watchTicket('t 1', 'me')).toEqual({ watchers: ['u-me'] });
    expect(await unwatchTicket('t 1', 'u-ben')).toEqual({ watchers: [] });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'PUT /tickets/t%201/watchers/me',
      'DELETE /tickets/t%201/watchers/u-ben',
    ]);
  });
});

describe('Watchers on the ticket page', () => {
  it('lists watchers by name and says what watching means', async () => {
    ticketServer({ watchers: ['u-cleo', 'u-ben', 'u-unknown'] });
    renderWithProviders(<TicketView ticketId="t1" />);

    const region = await panel();
    const list = await within(region).findByRole('list', { name: 'People watching this ticket' });
    await waitFor(() =>
      expect(
        within(list)
          .getAllByRole('listitem')
          .map((li) => li.firstChild?.textContent),
      ).toEqual(['Ben Lead', 'Cleo Agent', 'Unknown user']),
    );
    expect(region).toHaveTextContent(
      'Watchers get an email when someone comments, the status changes or the SLA is breached',
    );
  });

  it('toggles watching for the signed-in user with aria-pressed', async () => {
    const server = ticketServer();
    renderWithProviders(<TicketView ticketId="t1" />);

    const toggle = await screen.findByRole('button', { name: 'Watch' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(toggle).toHaveAccessibleDescription(/Watchers get an email/);
    expect(await screen.findByText('No one is watching this ticket.')).toBeInTheDocument();

    fireEvent.click(toggle);

    await waitFor(() => expect(screen.getByRole('button', { name: 'Watch' })).toHaveAttribute('aria-pressed', 'true'));
    expect(server.calls.filter((c) => c.method !== 'GET')).toMatchObject([
      { method: 'PUT', path: '/tickets/t1/watchers/me' },
    ]);
    expect(screen.getByRole('list', { name: 'People watching this ticket' })).toHaveTextContent('Maya Agent (you)');
    expect(await screen.findByText('You now watch this ticket.')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Watch' }));

    await waitFor(() => expect(screen.getByRole('button', { name: 'Watch' })).toHaveAttribute('aria-pressed', 'false'));
    expect(server.calls.some((c) => c.method === 'DELETE' && c.path === '/tickets/t1/watchers/me')).toBe(true);
    expect(server.watchers()).toEqual([]);
  });

  it('lets a lead add a teammate from a select of active people not yet watching, and remove them', async () => {
    const server = ticketServer({
      watchers: ['u-ben'],
      permissions: ['tickets.read', 'tickets.write', 'tickets.assign', 'users.read'],
    });
    renderWithProviders(<TicketView ticketId="t1" />);

    const select = await screen.findByLabelText('Add a teammate');
    await waitFor(() =>
      expect(
        within(select)
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toEqual(['Choose…', 'Cleo Agent', 'Dan Viewer']),
    );
    fireEvent.change(select, { target: { value: 'u-cleo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add as a watcher' }));

    await waitFor(() => expect(server.watchers()).toEqual(['u-ben', 'u-cleo']));
    expect(await screen.findByRole('button', { name: 'Remove Cleo Agent from the watchers' })).toBeInTheDocument();
    expect(screen.getByLabelText('Add a teammate')).toHaveValue('');

    fireEvent.click(screen.getByRole('button', { name: 'Remove Ben Lead from the watchers' }));

    await waitFor(() => expect(server.watchers()).toEqual(['u-cleo']));
    await waitFor(() => expect(screen.getByRole('heading', { name: /^Watchers/ })).toHaveFocus());
    expect(await screen.findByText('Ben Lead no longer watches this ticket.')).toBeInTheDocument();
  });

  it('lets anyone watch, but only leads and admins change who else watches', async () => {
    const server = ticketServer({ watchers: ['u-ben'], permissions: ['tickets.read', 'users.read'] });
    renderWithProviders(<TicketView ticketId="t1" />);

    const region = await panel();
    expect(await within(region).findByText('Ben Lead')).toBeInTheDocument();
    expect(
      within(region)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['+Watch']);
    expect(within(region).queryByRole('combobox')).toBeNull();
    expect(server.calls.every((c) => c.method === 'GET')).toBe(true);
  });

  it('says so when a change is refused', async () => {
    installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe() };
      if (r.path === '/users') return { body: { items: TEAM, next_cursor: null } };
      if (r.path === '/tickets/t1') return { body: { ticket: makeTicket(), comments: [], watchers: [] } };
      if (r.method === 'PUT') {
        return {
          status: 422,
          body: { title: 'Invalid', status: 422, detail: 'user_id: cannot be added: a ticket has at most 50 watchers' },
        };
      }
      return undefined;
    });
    renderWithProviders(<TicketView ticketId="t1" />);

    fireEvent.click(await screen.findByRole('button', { name: 'Watch' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not change the watchers: user_id: cannot be added: a ticket has at most 50 watchers',
    );
    expect(screen.getByRole('button', { name: 'Watch' })).toHaveAttribute('aria-pressed', 'false');
  });

  it('names the watchers in the ticket history', async () => {
    installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe() };
      if (r.path === '/users') return { body: { items: TEAM, next_cursor: null } };
      if (r.path === '/tickets/t1') return { body: { ticket: makeTicket(), comments: [], watchers: ['u-ben'] } };
      if (r.path === '/tickets/t1/history') {
        const change = { field: 'watchers', from: [], to: ['u-ben', 'u-cleo'] };
        return {
          body: { items: [{ at: '2025-01-02T10:00:00Z', actor: { id: 'u-me', name: 'Maya' }, changes: [change] }] },
        };
      }
      return undefined;
    });
    renderWithProviders(<TicketView ticketId="t1" />);
    fireEvent.click(await screen.findByRole('tab', { name: 'History' }));
    expect(await screen.findByText('Watchers: (none) → Ben Lead, Cleo Agent')).toBeInTheDocument();
  });
});
