import { fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi, makeMe } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import type { DeadLetter } from '@/types/api';
import { replayDeadLetter } from '../api/dead-letters';
import { DeadLetters } from './dead-letters';

function letter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    id: 'dl1',
    at: '2025-01-02T10:00:00Z',
    channel: 'webhook',
    event_type: 'ticket.created',
    event_id: 'evt_1',
    target: 'wh1',
    error: 'HTTP 500 Internal Server Error',
    attempts: 6,
    replayed_at: null,
    ...overrides,
  };
}

describe('dead letters', () => {
  it('replays with POST /notifications/dead-letters/{id}/replay', async () => {
    const { calls } = installFakeApi(() => ({ status: 202, body: letter() }));
    await replayDeadLetter('dl 1');
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/notifications/dead-letters/dl%201/replay' });
  });

  it('lists failed notifications and replays one', async () => {
    let letters = [letter(), letter({ id: 'dl2', channel: 'email', target: 'assigned:ana@example.com' })];
    const { calls } = installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe(['integrations.manage', 'webhooks.manage']) };
      if (r.path === '/webhooks')
        return { body: { items: [{ id: 'wh1', url: 'https://crm.example.com/in' }], next_cursor: null } };
      if (r.path === '/notifications/dead-letters') return { body: { items: letters, next_cursor: null } };
      if (r.path === '/notifications/dead-letters/dl1/replay') {
        letters = letters.map((l) => (l.id === 'dl1' ? { ...l, replayed_at: '2025-01-03T09:00:00Z' } : l));
        return { status: 202, body: letters[0] };
      }
      return undefined;
    });
    renderWithProviders(<DeadLetters />);

    const table = await screen.findByRole('table', { name: 'Failed notifications, newest first' });
    const [webhookRow, emailRow] = within(table).getAllByRole('row').slice(1);
    expect(
      within(emailRow)
        .getAllByRole('cell')
        .slice(1, 6)
        .map((c) => c.textContent),
    ).toEqual(['Email', 'ticket.created', 'assigned:ana@example.com', 'HTTP 500 Internal Server Error', '6']);
    expect(await within(webhookRow).findByText('https://crm.example.com/in')).toBeInTheDocument();

    fireEvent.click(within(webhookRow).getByRole('button', { name: /^Replay ticket.created to/ }));

    expect(await screen.findByText('Replaying the webhook for ticket.created.')).toBeInTheDocument();
    expect(await within(table).findByText(/^Replayed/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('says when a letter was already replayed elsewhere', async () => {
    installFakeApi((r) => {
      if (r.path === '/notifications/dead-letters') return { body: { items: [letter()], next_cursor: null } };
      if (r.method === 'POST')
        return {
          status: 409,
          body: { title: 'Conflict', status: 409, detail: 'This dead letter was already replayed.' },
        };
      return undefined;
    });
    renderWithProviders(<DeadLetters />);
    fireEvent.click(await screen.findByRole('button', { name: /^Replay/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not replay: This dead letter was already replayed.',
    );
  });

  it('has an empty state', async () => {
    installFakeApi((r) =>
      r.path === '/notifications/dead-letters' ? { body: { items: [], next_cursor: null } } : undefined,
    );
    renderWithProviders(<DeadLetters />);
    expect(await screen.findByText('No failed notifications.')).toBeInTheDocument();
  });
});
