import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { QueueSettings } from './queue-settings';

const ANA = {
  id: 'a'.repeat(32),
  name: 'Ana',
  email: 'ana@x.test',
  role: 'agent',
  active: true,
  availability: 'online',
};
const BILLING = {
  name: 'billing',
  description: 'Invoices',
  member_ids: [ANA.id],
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: 1,
};

describe('QueueSettings', () => {
  it('lists queues with who works them, and adds one with its members', async () => {
    const queues = [BILLING];
    const { calls } = installFakeApi((request) => {
      if (request.path === '/users') return { body: { items: [ANA], next_cursor: null } };
      if (request.path === '/queues' && request.method === 'GET') return { body: { items: queues, next_cursor: null } };
      if (request.path === '/queues' && request.method === 'POST') {
        const created = { ...BILLING, ...(request.body as object), version: 1 };
        queues.push(created);
        return { status: 201, body: created };
      }
      return undefined;
    });
    renderWithProviders(<QueueSettings />);
    expect(await screen.findByText('Worked by Ana')).toBeInTheDocument();

    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'VIP' } });
    fireEvent.input(screen.getByLabelText('Description'), { target: { value: 'Our best customers' } });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Ana' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add queue' }));

    await waitFor(() => expect(screen.getByRole('heading', { name: 'vip' })).toBeInTheDocument());
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'vip',
      description: 'Our best customers',
      member_ids: [ANA.id],
    });
  });

  it('shows what the server refused next to the field it names', async () => {
    installFakeApi((request) => {
      if (request.path === '/users') return { body: { items: [ANA], next_cursor: null } };
      if (request.path === '/queues' && request.method === 'GET') return { body: { items: [], next_cursor: null } };
      return {
        status: 422,
        body: {
          title: 'Validation failed',
          status: 422,
          detail: 'name: use lower-case letters',
          errors: [{ field: 'name', message: 'Use lower-case letters, digits, - and _ only.' }],
        },
      };
    });
    renderWithProviders(<QueueSettings />);
    fireEvent.input(await screen.findByLabelText('Name'), { target: { value: 'no way!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add queue' }));
    const message = await screen.findByText('Use lower-case letters, digits, - and _ only.');
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(
      expect.stringContaining('Use lower-case letters, digits, - and _ only.'),
    );
    expect(message).toHaveClass('field__error');
  });
});
