import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeRequest, installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { describeMinutes, moved, policyFormValues, policyInput, type SlaPolicy, type SlaPolicyList } from '../api/sla';
import { SlaPolicies } from './sla-policies';

const DEFAULT: SlaPolicy = {
  id: 'default',
  name: 'Default',
  queue: null,
  tag: null,
  business_hours: false,
  targets: {
    urgent: { first_response_minutes: 60, next_reply_minutes: null, resolution_minutes: 240 },
    high: { first_response_minutes: 240, next_reply_minutes: null, resolution_minutes: 1440 },
    normal: { first_response_minutes: 480, next_reply_minutes: null, resolution_minutes: 4320 },
    low: { first_response_minutes: 1440, next_reply_minutes: null, resolution_minutes: 7200 },
  },
  position: null,
  builtin: true,
};

function policy(id: string, name: string, extra: Partial<SlaPolicy> = {}): SlaPolicy {
  return {
    id,
    name,
    queue: null,
    tag: null,
    business_hours: false,
    targets: { high: { first_response_minutes: 30, next_reply_minutes: 60, resolution_minutes: 480 } },
    position: 0,
    builtin: false,
    ...extra,
  };
}

/** The policy endpoints, keeping the list between calls as the server would. */
function policyServer(initial: SlaPolicy[], extra?: (r: FakeRequest) => unknown) {
  let items: SlaPolicy[] = initial.map((p, i) => ({ ...p, position: i }));
  const listing = (): SlaPolicyList => ({ items, default: DEFAULT });
  const fake = installFakeApi((r) => {
    const answer = extra?.(r);
    if (answer) return answer as { status?: number; body?: unknown };
    if (r.path === '/sla-policies' && r.method === 'GET') return { body: listing() };
    if (r.path === '/sla-policies' && r.method === 'POST') {
      const created = { ...(r.body as object), id: `p${items.length + 1}`, position: items.length, builtin: false };
      items = [...items, created as SlaPolicy];
      return { status: 201, body: created };
    }
    if (r.path === '/sla-policies' && r.method === 'PUT') {
      const ids = (r.body as { ids: string[] }).ids;
      items = ids.map((id, i) => ({ ...items.find((p) => p.id === id)!, position: i }));
      return { body: listing() };
    }
    const match = /^\/sla-policies\/(\w+)$/.exec(r.path);
    if (match && r.method === 'PATCH') {
      items = items.map((p) => (p.id === match[1] ? { ...p, ...(r.body as object) } : p));
      return { body: items.find((p) => p.id === match[1]) };
    }
    if (match && r.method === 'DELETE') {
      items = items.filter((p) => p.id !== match[1]).map((p, i) => ({ ...p, position: i }));
      return { status: 204 };
    }
    return undefined;
  });
  return { ...fake, items: () => items };
}

afterEach(() => vi.unstubAllGlobals());

describe('SLA policy helpers', () => {
  it('leaves out priorities without targets and turns empty targets into null', () => {
    const values = policyFormValues();
    values.name = ' VIP ';
    values.tag = 'vip';
    values.targets.urgent = { first_response_minutes: '15', next_reply_minutes: '', resolution_minutes: '120' };
    expect(policyInput(values)).toEqual({
      name: 'VIP',
      queue: null,
      tag: 'vip',
      business_hours: false,
      targets: { urgent: { first_response_minutes: 15, next_reply_minutes: null, resolution_minutes: 120 } },
    });
  });

  it('fills the form from a policy and back without change', () => {
    const stored = policy('p1', 'Billing', { queue: 'billing', business_hours: true });
    const { position: _p, builtin: _b, id: _id, ...input } = stored;
    expect(policyInput(policyFormValues(stored))).toEqual(input);
  });

  it('moves an id up or down and not past either end', () => {
    expect(moved(['a', 'b', 'c'], 'c', -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 'a', 1)).toEqual(['b', 'a', 'c']);
  });

  it('says how long a target is', () => {
    expect(describeMinutes(90)).toBe('1 h 30 min');
    expect(describeMinutes(2880)).toBe('2 d');
    expect(describeMinutes(null)).toBe('—');
  });
});

// Tables of inputs are slow to query in jsdom on a busy machine: a generous bound, not a measure.
describe('SlaPolicies', { timeout: 20_000 }, () => {
  it('lists the policies in order with the built-in default last', async () => {
    policyServer([
      policy('p1', 'VIP', { tag: 'vip' }),
      policy('p2', 'Billing', { queue: 'billing', business_hours: true }),
    ]);
    renderWithProviders(<SlaPolicies />);
    const table = await screen.findByRole('table', { name: 'SLA policies, in the order they are tried' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual([
      '1. VIP',
      '2. Billing',
      'Default Built in',
    ]);
    expect(rows[1]).toHaveTextContent('Tickets with queue billing');
    expect(rows[1]).toHaveTextContent('Business hours');
    expect(rows[0]).toHaveTextContent('high: first response 30 min, next reply 1 h, resolution 8 h');
    expect(within(rows[2]!).queryByRole('button')).toBeNull();
    expect(screen.getByRole('button', { name: 'Move VIP up' })).toBeDisabled();
  });

  it('adds a policy from the form', async () => {
    const server = policyServer([]);
    renderWithProviders(<SlaPolicies />);
    const add = within(await screen.findByRole('region', { name: 'Add a policy' }));
    fireEvent.input(add.getByLabelText('Name'), { target: { value: 'Urgent billing' } });
    fireEvent.input(add.getByLabelText('Queue'), { target: { value: 'billing' } });
    fireEvent.click(add.getByRole('checkbox', { name: /business hours/ }));
    fireEvent.input(add.getByLabelText('urgent: First response (minutes)'), { target: { value: '15' } });
    fireEvent.click(add.getByRole('button', { name: 'Add policy' }));

    expect(await screen.findByText(/Policy “Urgent billing” added/)).toHaveAttribute('role', 'status');
    expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Urgent billing',
      queue: 'billing',
      tag: null,
      business_hours: true,
      targets: { urgent: { first_response_minutes: 15, next_reply_minutes: null, resolution_minutes: null } },
    });
    expect(await screen.findByRole('rowheader', { name: '1. Urgent billing' })).toBeInTheDocument();
  });

  it('puts the server’s field errors next to the target they name', async () => {
    policyServer([], (r) =>
      r.method === 'POST'
        ? {
            status: 422,
            body: {
              title: 'Validation failed',
              status: 422,
              detail: 'The request has invalid fields.',
              errors: [
                { field: 'targets.high.resolution_minutes', message: 'Input should be greater than or equal to 1' },
              ],
            },
          }
        : undefined,
    );
    renderWithProviders(<SlaPolicies />);
    const add = within(await screen.findByRole('region', { name: 'Add a policy' }));
    fireEvent.input(add.getByLabelText('Name'), { target: { value: 'Broken' } });
    fireEvent.input(add.getByLabelText('high: Resolution (minutes)'), { target: { value: '0' } });
    fireEvent.click(add.getByRole('button', { name: 'Add policy' }));

    const input = add.getByLabelText('high: Resolution (minutes)');
    await waitFor(() => expect(input).toHaveAttribute('aria-invalid', 'true'));
    expect(input).toHaveAccessibleDescription('Input should be greater than or equal to 1');
    expect(add.getByLabelText('high: First response (minutes)')).toHaveAttribute('aria-invalid', 'false');
  });

  it('moves a policy down, edits one and deletes one after confirming', async () => {
    const server = policyServer([policy('p1', 'VIP'), policy('p2', 'Billing')]);
    renderWithProviders(<SlaPolicies />);

    fireEvent.click(await screen.findByRole('button', { name: 'Move VIP down' }));
    expect(await screen.findByRole('rowheader', { name: '1. Billing' })).toBeInTheDocument();
    expect(server.calls.find((c) => c.method === 'PUT')?.body).toEqual({ ids: ['p2', 'p1'] });

    fireEvent.click(screen.getByRole('button', { name: 'Edit VIP' }));
    const edit = within(screen.getByRole('region', { name: 'Edit “VIP”' }));
    expect(edit.getByLabelText('high: Next reply (minutes)')).toHaveValue('60');
    fireEvent.input(edit.getByLabelText('Name'), { target: { value: 'VIP customers' } });
    fireEvent.click(edit.getByRole('button', { name: 'Save policy' }));
    expect(await screen.findByRole('rowheader', { name: '2. VIP customers' })).toBeInTheDocument();
    expect(server.calls.find((c) => c.method === 'PATCH')?.path).toBe('/sla-policies/p1');

    fireEvent.click(screen.getByRole('button', { name: 'Delete Billing' }));
    expect(server.calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm deleting Billing' }));
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: /Billing/ })).toBeNull());
    expect(server.items().map((p) => p.id)).toEqual(['p1']);
  });
});
