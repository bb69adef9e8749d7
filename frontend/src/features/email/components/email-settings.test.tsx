import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeRequest, installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import type { EmailAddress, EmailSettings as Settings, EmailTestStatus, Suppression } from '@/types/api';
import { EmailSettings } from './email-settings';

const BILLING: EmailAddress = {
  id: 'ad1',
  address: 'acme+billing@in.pulsedesk.test',
  queue: 'billing',
  created_at: '2025-01-02T10:00:00Z',
};

const BOUNCED: Suppression = {
  address: 'gone@customer.example',
  reason: 'bounce',
  detail: 'smtp; 550 5.1.1 user unknown',
  at: '2025-01-03T10:00:00Z',
};

/** The email settings endpoints, keeping the addresses between calls as the server would. */
function emailServer(testAnswers: EmailTestStatus[] = [], extra?: (r: FakeRequest) => unknown) {
  let addresses = [BILLING];
  let suppressions = [BOUNCED];
  const statuses = [...testAnswers];
  const settings = (): Settings => ({
    support_address: 'acme@in.pulsedesk.test',
    addresses,
    forwarding_instructions: 'Forward support@yourcompany.com to acme@in.pulsedesk.test.\n<b>Keep</b> the original.',
  });
  return installFakeApi((r) => {
    const answer = extra?.(r);
    if (answer) return answer as { status?: number; body?: unknown };
    if (r.path === '/settings/email' && r.method === 'GET') return { body: settings() };
    if (r.path === '/settings/email/addresses' && r.method === 'POST') {
      const body = r.body as { name: string; queue: string };
      const added = {
        id: 'ad2',
        address: `acme+${body.name}@in.pulsedesk.test`,
        queue: body.queue,
        created_at: BILLING.created_at,
      };
      addresses = [...addresses, added];
      return { status: 201, body: added };
    }
    if (r.path === '/settings/email/addresses/ad1' && r.method === 'DELETE') {
      addresses = addresses.filter((a) => a.id !== 'ad1');
      return { status: 204 };
    }
    if (r.path === '/settings/email/suppressions' && r.method === 'GET')
      return { body: { items: suppressions, next_cursor: null } };
    if (r.path === `/settings/email/suppressions/${encodeURIComponent(BOUNCED.address)}` && r.method === 'DELETE') {
      suppressions = [];
      return { status: 204 };
    }
    if (r.path === '/settings/email/test' && r.method === 'POST')
      return { status: 202, body: { message_id: 'test-1' } };
    if (r.path === '/settings/email/tests/test-1')
      return { body: statuses.length > 1 ? statuses.shift() : statuses[0] };
    return undefined;
  });
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('EmailSettings', () => {
  it('lists suppressed addresses and lifts one', async () => {
    const { calls } = emailServer();
    renderWithProviders(<EmailSettings />);
    const table = await screen.findByRole('region', { name: 'Suppressed addresses' }, { timeout: 5000 });
    expect(table).toHaveTextContent('gone@customer.example');
    expect(table).toHaveTextContent('Bounced');

    fireEvent.click(screen.getByRole('button', { name: 'Lift the suppression of gone@customer.example' }));

    expect(await screen.findByText('Every address can be emailed.', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'DELETE' && c.path.startsWith('/settings/email/suppressions/'))).toBe(true);
  });

  it('shows the support address and the forwarding instructions as text', async () => {
    emailServer();
    const { container } = renderWithProviders(<EmailSettings />);
    expect(await screen.findByText('acme@in.pulsedesk.test', { selector: 'code' })).toBeInTheDocument();
    const instructions = container.querySelector('.forwarding-instructions');
    expect(instructions).toHaveTextContent('<b>Keep</b> the original.');
    expect(instructions?.querySelector('b')).toBeNull();
    expect(screen.getByRole('cell', { name: 'acme+billing@in.pulsedesk.test' })).toBeInTheDocument();
  });

  it('adds an address for a queue, and removes one', async () => {
    const { calls } = emailServer();
    renderWithProviders(<EmailSettings />);
    fireEvent.input(await screen.findByLabelText('Name'), { target: { value: 'Refunds ' } });
    fireEvent.input(screen.getByLabelText('Queue'), { target: { value: 'billing' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add address' }));
    expect(await screen.findByRole('cell', { name: 'acme+Refunds@in.pulsedesk.test' })).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'Refunds', queue: 'billing' });

    fireEvent.click(screen.getByRole('button', { name: 'Remove acme+billing@in.pulsedesk.test' }));
    await waitFor(() => expect(screen.queryByRole('cell', { name: 'acme+billing@in.pulsedesk.test' })).toBeNull());
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/settings/email/addresses/ad1')).toBe(true);
  });

  it('names the field the server refused', async () => {
    emailServer([], (r) =>
      r.method === 'POST' && r.path === '/settings/email/addresses'
        ? {
            status: 422,
            body: { title: 'Invalid', status: 422, errors: [{ field: 'name', message: 'is already an address' }] },
          }
        : undefined,
    );
    renderWithProviders(<EmailSettings />);
    fireEvent.input(await screen.findByLabelText('Name'), { target: { value: 'billing' } });
    fireEvent.input(screen.getByLabelText('Queue'), { target: { value: 'billing' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add address' }));
    expect(await screen.findByText('is already an address')).toBeInTheDocument();
  });

  it('sends a test email, waits for it to come back, and links to the ticket it made', async () => {
    const { calls } = emailServer([
      { status: 'sent', ticket_id: null, ticket_number: null },
      { status: 'received', ticket_id: 'tk9', ticket_number: 42 },
    ]);
    renderWithProviders(<EmailSettings />);
    fireEvent.click(await screen.findByRole('button', { name: 'Send a test email' }));
    expect(await screen.findByText(/waiting for it to arrive/)).toBeInTheDocument();
    const link = await screen.findByRole('link', { name: 'ticket #42' }, { timeout: 5000 });
    expect(link).toHaveAttribute('href', '/tickets/tk9');
    const polls = calls.filter((c) => c.path === '/settings/email/tests/test-1');
    expect(polls.length).toBe(2);
  });
});
