import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { loadSum, RoutingSettingsPanel } from './routing-settings';

const WEIGHTS = { urgent: 2, high: 1, normal: 1, low: 1 };
const ANA = {
  user_id: 'a'.repeat(32),
  name: 'Ana',
  availability: 'online',
  capacity: 45,
  skills: ['billing'],
  load: 35,
  open_by_priority: { urgent: 2, high: 10, normal: 20, low: 1 },
  last_assigned_at: null,
};

describe('loadSum', () => {
  it('spells out how the weighted load is made', () => {
    expect(loadSum(ANA.open_by_priority, WEIGHTS)).toBe('2×2 urgent + 1×10 high + 1×20 normal + 1×1 low = 35');
    expect(loadSum({}, WEIGHTS)).toBe('no open tickets = 0');
  });
});

describe('RoutingSettingsPanel', () => {
  it('explains each figure and saves queues, weights, capacity and skills', async () => {
    const { calls } = installFakeApi((request) => {
      if (request.path === '/settings/routing' && request.method === 'GET')
        return {
          body: { auto_assign_default: true, auto_assign_queues: {}, weights: WEIGHTS, on_unavailable: 'keep' },
        };
      if (request.path === '/settings/routing' && request.method === 'PUT') return { body: request.body };
      if (request.path === '/queues')
        return {
          body: {
            items: [{ name: 'vip', description: '', member_ids: [], created_at: '', updated_at: '', version: 1 }],
            next_cursor: null,
          },
        };
      if (request.path === '/agents/load') return { body: { items: [ANA], next_cursor: null } };
      if (request.path === `/users/${ANA.user_id}`) return { body: {} };
      return undefined;
    });
    renderWithProviders(<RoutingSettingsPanel />);

    expect(await screen.findByText('35 / 45')).toBeInTheDocument();
    expect(
      screen.getByText(/2×2 urgent \+ 1×10 high \+ 1×20 normal \+ 1×1 low = 35; room for 10 more/),
    ).toBeInTheDocument();

    fireEvent.click(await screen.findByRole('checkbox', { name: 'vip' }));
    fireEvent.input(screen.getByRole('spinbutton', { name: 'Urgent' }), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save routing' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      auto_assign_default: true,
      auto_assign_queues: { vip: false },
      weights: { ...WEIGHTS, urgent: 3 },
      on_unavailable: 'keep',
    });

    fireEvent.input(screen.getByLabelText('Capacity of Ana'), { target: { value: '30' } });
    fireEvent.input(screen.getByLabelText('Skills of Ana'), { target: { value: 'billing, vip' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save Ana' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ capacity: 30, skills: ['billing', 'vip'] });
  });
});
