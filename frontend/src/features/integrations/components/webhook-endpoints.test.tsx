import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeRequest, installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import type { WebhookDelivery, WebhookEndpoint } from '@/types/api';
import { describeEvents, redeliver, testWebhookEndpoint, updateWebhookEndpoint } from '../api/webhooks';
import { WebhookEndpoints } from './webhook-endpoints';

function endpoint(overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    id: 'wh1',
    url: 'https://crm.example.com/hooks/pulsedesk',
    description: 'CRM sync',
    event_types: ['ticket.created', 'comment.created'],
    enabled: true,
    disabled_reason: null,
    failing_since: null,
    created_at: '2025-01-01T10:00:00Z',
    updated_at: '2025-01-01T10:00:00Z',
    ...overrides,
  };
}

const DELIVERIES: WebhookDelivery[] = [
  {
    id: 'd2',
    event_id: 'evt_2',
    event_type: 'comment.created',
    attempt: 3,
    outcome: 'failed',
    status_code: 503,
    latency_ms: 1200,
    error: 'HTTP 503 Service Unavailable',
    at: '2025-01-02T10:05:00Z',
  },
  {
    id: 'd1',
    event_id: 'evt_1',
    event_type: 'ticket.created',
    attempt: 1,
    outcome: 'delivered',
    status_code: 200,
    latency_ms: 45,
    error: null,
    at: '2025-01-02T10:00:00Z',
  },
];

/** The webhook endpoints, their delivery logs and actions, kept in memory. */
function webhookServer(initial: WebhookEndpoint[] = [], extra?: (r: FakeRequest) => unknown) {
  let endpoints = [...initial];
  const fake = installFakeApi((r) => {
    const answer = extra?.(r);
    if (answer) return answer as { status?: number; body?: unknown };
    if (r.path === '/webhooks' && r.method === 'GET') return { body: { items: endpoints, next_cursor: null } };
    if (r.path === '/webhooks' && r.method === 'POST') {
      const created = endpoint({ id: 'wh-new', ...(r.body as object) });
      endpoints = [...endpoints, created];
      return { status: 201, body: { ...created, secret: 'whsec_c2VjcmV0LXNpZ25pbmcta2V5' } };
    }
    if (r.path === '/webhooks/wh1' && r.method === 'PATCH') {
      endpoints = endpoints.map((e) => (e.id === 'wh1' ? { ...e, ...(r.body as object) } : e));
      return { body: endpoints.find((e) => e.id === 'wh1') };
    }
    if (r.path === '/webhooks/wh1/deliveries') return { body: { items: DELIVERIES, next_cursor: null } };
    if (r.path === '/webhooks/wh1/deliveries/d2/redeliver')
      return { status: 202, body: { queued: true, event_id: 'evt_2' } };
    if (r.path === '/webhooks/wh1/test') return { body: { ok: true, status_code: 204, latency_ms: 38, error: null } };
    return undefined;
  });
  return { ...fake, endpoints: () => endpoints };
}

afterEach(() => vi.unstubAllGlobals());

describe('webhooks API', () => {
  it('calls the endpoint, test and redeliver paths', async () => {
    const { calls } = installFakeApi(() => ({ body: {} }));
    await updateWebhookEndpoint('wh 1', { enabled: true });
    await testWebhookEndpoint('wh 1');
    await redeliver('wh 1', 'd/1');
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'PATCH /webhooks/wh%201',
      'POST /webhooks/wh%201/test',
      'POST /webhooks/wh%201/deliveries/d%2F1/redeliver',
    ]);
    expect(calls[0].body).toEqual({ enabled: true });
  });

  it('describes a subscription in words', () => {
    expect(describeEvents(['*'])).toBe('All events');
    expect(describeEvents(['ticket.created', 'comment.created'])).toBe('Ticket created, Comment added');
  });
});

describe('WebhookEndpoints', () => {
  it('adds an endpoint and shows its signing secret once, with a copy button and a warning', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const server = webhookServer();
    renderWithProviders(<WebhookEndpoints />);

    expect(await screen.findByText('No webhook endpoints yet.')).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Add an endpoint' });
    fireEvent.input(within(form).getByLabelText('Endpoint URL'), { target: { value: ' https://erp.example.com/in ' } });
    // Every event by default; narrowing it down means unticking "All events" first.
    const all = within(form).getByRole('checkbox', { name: /^All events/ });
    expect(all).toBeChecked();
    expect(within(form).getByRole('checkbox', { name: /^Comment added/ })).toBeDisabled();
    fireEvent.click(all);
    fireEvent.click(within(form).getByRole('checkbox', { name: /^Comment added/ }));
    fireEvent.click(within(form).getByRole('button', { name: 'Add endpoint' }));

    const heading = await screen.findByRole('heading', { name: 'Endpoint added: copy its signing secret now' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({
      url: 'https://erp.example.com/in',
      description: '',
      event_types: ['comment.created'],
    });
    expect(screen.getByText('This secret will not be shown again.')).toBeInTheDocument();
    expect(screen.getByText('whsec_c2VjcmV0LXNpZ25pbmcta2V5')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Copy secret' }));
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith('whsec_c2VjcmV0LXNpZ25pbmcta2V5');

    fireEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByText('whsec_c2VjcmV0LXNpZ25pbmcta2V5')).toBeNull();
    expect(await screen.findByRole('heading', { name: 'https://erp.example.com/in' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Add an endpoint' })).toHaveFocus();
  });

  it('will not add an endpoint that listens to nothing', async () => {
    const server = webhookServer();
    renderWithProviders(<WebhookEndpoints />);
    const form = await screen.findByRole('form', { name: 'Add an endpoint' });
    fireEvent.input(within(form).getByLabelText('Endpoint URL'), { target: { value: 'https://erp.example.com/in' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: /^All events/ }));
    fireEvent.click(within(form).getByRole('button', { name: 'Add endpoint' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Choose at least one event.');
    expect(server.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('shows the delivery log of an endpoint and redelivers one', async () => {
    const server = webhookServer([endpoint()]);
    renderWithProviders(<WebhookEndpoints />);

    const toggle = await screen.findByRole('button', { name: 'Delivery log of CRM sync' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');

    const table = await screen.findByRole('table', { name: 'Deliveries to CRM sync, newest first' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['When', 'Event', 'Attempt', 'Result', 'Latency', 'Error', 'Actions']);
    const [failed, delivered] = within(table).getAllByRole('row').slice(1);
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .slice(1, 6)
        .map((c) => c.textContent);
    expect(cells(failed)).toEqual([
      'comment.created',
      '3',
      'Failed · HTTP 503',
      '1200 ms',
      'HTTP 503 Service Unavailable',
    ]);
    expect(cells(delivered)).toEqual(['ticket.created', '1', 'Delivered · HTTP 200', '45 ms', '—']);

    fireEvent.click(within(failed).getByRole('button', { name: /^Redeliver comment.created/ }));
    expect(await screen.findByText(/Queued again \(evt_2\)/)).toBeInTheDocument();
    expect(server.calls.some((c) => c.method === 'POST' && c.path === '/webhooks/wh1/deliveries/d2/redeliver')).toBe(
      true,
    );
  });

  it('sends a test event and disables or enables an endpoint', async () => {
    const server = webhookServer([endpoint()]);
    renderWithProviders(<WebhookEndpoints />);

    fireEvent.click(await screen.findByRole('button', { name: 'Send test event to CRM sync' }));
    expect(await screen.findByText('Test event delivered: HTTP 204 in 38 ms.')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Disable CRM sync' }));
    await waitFor(() => expect(server.endpoints()[0].enabled).toBe(false));
    expect(await screen.findByText('Disabled')).toBeInTheDocument();
    expect(server.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: false });
    expect(await screen.findByRole('button', { name: 'Enable CRM sync' })).toBeInTheDocument();
  });

  it('explains why an endpoint was disabled', async () => {
    webhookServer([
      endpoint({ enabled: false, disabled_reason: 'failing for 5 days', failing_since: '2025-01-01T00:00:00Z' }),
    ]);
    renderWithProviders(<WebhookEndpoints />);
    expect(await screen.findByText(/Not sending events: failing for 5 days/)).toBeInTheDocument();
  });

  it('shows an error with a retry when the endpoints cannot be loaded', async () => {
    webhookServer([], (r) => (r.path === '/webhooks' ? { status: 500, body: { title: 'Server error' } } : undefined));
    renderWithProviders(<WebhookEndpoints />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Server error');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
