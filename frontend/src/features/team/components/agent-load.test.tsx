import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { TeamPage } from '@/app/routes/team';
import { installFakeApi, makeMe } from '@/test/fake-api';
import { fakeLiveSocket, renderWithProviders } from '@/test/render';
import type { AgentLoad } from '@/types/api';
import { AgentLoadTable } from './agent-load';
import { AvailabilitySwitch } from './availability-switch';

function agent(load: number, overrides: Partial<AgentLoad> = {}): AgentLoad {
  return {
    user_id: 'u-bea',
    name: 'Bea Agent',
    availability: 'online',
    capacity: 10,
    skills: [],
    load,
    open_by_priority: { urgent: 1, high: 2, normal: load - 3 },
    last_assigned_at: null,
    ...overrides,
  };
}

const ticketEvent = (id: string) => ({ type: 'ticket.updated', ticket: { id, version: 2 }, changes: [] });

describe('Team load', () => {
  it('shows each agent’s load against capacity, open tickets by priority and availability', async () => {
    installFakeApi((r) => (r.path === '/agents/load' ? { body: { items: [agent(7)], next_cursor: null } } : undefined));
    renderWithProviders(<AgentLoadTable />);

    const row = (await screen.findByRole('rowheader', { name: 'Bea Agent' })).closest('tr')!;
    const cells = within(row)
      .getAllByRole('cell')
      .map((cell) => cell.textContent);
    expect(cells).toEqual(['online', '7 / 107 open tickets, weighted', '1', '2', '4', '0']);
    // the weighted figure is explained beside the table
    expect(screen.getByText(/Load weighs each open ticket by its priority/)).toBeInTheDocument();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Agent',
      'Availability',
      'Load / capacity',
      'Urgent',
      'High',
      'Normal',
      'Low',
    ]);
  });

  it('refetches once after a burst of ticket events, and ignores other events', async () => {
    let load = 7;
    const { calls } = installFakeApi((r) =>
      r.path === '/agents/load' ? { body: { items: [agent(load)], next_cursor: null } } : undefined,
    );
    const live = fakeLiveSocket();
    renderWithProviders(<AgentLoadTable />, { liveSocket: live.socket });
    await screen.findByText('7 / 10');

    load = 9;
    live.emit({ type: 'presence', ticket_id: 't1', users: [] });
    live.emit(ticketEvent('t1'));
    live.emit(ticketEvent('t2'));
    live.emit({ type: 'ticket.created', ticket: { id: 't3', version: 1 } });

    expect(await screen.findByText('9 / 10', {}, { timeout: 3000 })).toBeInTheDocument();
    await new Promise((resolve) => setTimeout(resolve, 900)); // nothing else is pending
    expect(calls.filter((c) => c.path === '/agents/load')).toHaveLength(2);
  });

  it('flags an agent over capacity in words, not only colour', async () => {
    installFakeApi((r) =>
      r.path === '/agents/load' ? { body: { items: [agent(12)], next_cursor: null } } : undefined,
    );
    renderWithProviders(<AgentLoadTable />);
    expect(await screen.findByText('(over capacity)')).toBeInTheDocument();
  });

  it('is on the Team page for leads and admins only', async () => {
    installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe(['tickets.read', 'tickets.write', 'users.read']) };
      if (r.path === '/users') return { body: { items: [makeMe().user], next_cursor: null } };
      return undefined;
    });
    const { unmount } = renderWithProviders(<TeamPage />);
    expect(await screen.findByRole('heading', { name: 'People' })).toBeInTheDocument();
    await screen.findByText('Maya Agent');
    expect(screen.queryByRole('heading', { name: 'Load' })).toBeNull();
    unmount();

    installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe(['tickets.read', 'tickets.write', 'users.read', 'metrics.read']) };
      if (r.path === '/users') return { body: { items: [makeMe().user], next_cursor: null } };
      if (r.path === '/agents/load') return { body: { items: [agent(5)], next_cursor: null } };
      return undefined;
    });
    renderWithProviders(<TeamPage />);
    expect(await screen.findByRole('heading', { name: 'Load' })).toBeInTheDocument();
    expect(await screen.findByText('5 / 10')).toBeInTheDocument();
  });
});

describe('AvailabilitySwitch', () => {
  it('changes the signed-in agent’s own availability with PATCH /users/{me}', async () => {
    let availability = 'online';
    const { calls } = installFakeApi((r) => {
      if (r.path === '/me') {
        const me = makeMe();
        return { body: { ...me, user: { ...me.user, availability } } };
      }
      if (r.path === '/users/u-me' && r.method === 'PATCH') {
        availability = (r.body as { availability: string }).availability;
        return { body: { ...makeMe().user, availability } };
      }
      return undefined;
    });
    renderWithProviders(<AvailabilitySwitch />);
    const select = await screen.findByLabelText('Your availability');
    expect(select).toHaveValue('online');

    fireEvent.change(select, { target: { value: 'away' } });

    await waitFor(() => expect(calls.map((c) => `${c.method} ${c.path}`)).toContain('PATCH /users/u-me'));
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.path).toBe('/users/u-me');
    expect(patch.body).toEqual({ availability: 'away' });
    await waitFor(() => expect(screen.getByLabelText('Your availability')).toHaveValue('away'));
    expect(screen.getByLabelText('Your availability')).not.toBeDisabled();
  });

  it('goes back to the previous availability and says so when the change fails', async () => {
    installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe() };
      if (r.method === 'PATCH') return { status: 503, body: { title: 'Service unavailable', status: 503 } };
      return undefined;
    });
    renderWithProviders(<AvailabilitySwitch />);
    fireEvent.change(await screen.findByLabelText('Your availability'), { target: { value: 'offline' } });

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not change availability');
    expect(screen.getByLabelText('Your availability')).toHaveValue('online');
  });
});
