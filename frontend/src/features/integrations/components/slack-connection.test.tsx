import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeRequest, installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import type { SlackConnection as Connection } from '@/types/api';
import { hasStoredCredential, slackFormValues, slackInput } from '../api/slack';
import { SlackConnection } from './slack-connection';

const BOT: Connection = {
  connected: true,
  mode: 'bot',
  channel: '#support',
  bot_token: 'xoxb-…a1b2',
  webhook_url: null,
  alert_urgent: true,
  alert_sla_breaches: false,
  unassigned_after_minutes: 30,
  updated_at: '2025-01-02T10:00:00Z',
};

/** The Slack endpoints, keeping the connection between calls as the server would (masked). */
function slackServer(initial: Connection = { connected: false }, extra?: (r: FakeRequest) => unknown) {
  let connection = initial;
  const fake = installFakeApi((r) => {
    const answer = extra?.(r);
    if (answer) return answer as { status?: number; body?: unknown };
    if (r.path === '/integrations/slack' && r.method === 'GET') return { body: connection };
    if (r.path === '/integrations/slack' && r.method === 'PUT') {
      const body = r.body as Record<string, unknown>;
      connection = {
        ...(body as object),
        connected: true,
        bot_token: body.mode === 'bot' ? 'xoxb-…9z9z' : null,
        webhook_url: body.mode === 'incoming_webhook' ? 'https://hooks.slack.com/…wxyz' : null,
        channel: (body.channel as string) ?? null,
        updated_at: '2025-01-03T10:00:00Z',
      } as Connection;
      return { body: connection };
    }
    if (r.path === '/integrations/slack' && r.method === 'DELETE') {
      connection = { connected: false };
      return { status: 204 };
    }
    return undefined;
  });
  return { ...fake, connection: () => connection };
}

afterEach(() => vi.unstubAllGlobals());

describe('Slack API helpers', () => {
  it('leaves an empty token or URL out of the PUT, so the stored one is kept', () => {
    const values = slackFormValues(BOT);
    expect(values).toMatchObject({ mode: 'bot', botToken: '', channel: '#support', unassignedAfter: '30' });
    expect(slackInput(values)).toEqual({
      mode: 'bot',
      channel: '#support',
      alert_urgent: true,
      alert_sla_breaches: false,
      unassigned_after_minutes: 30,
    });
    expect(slackInput({ ...values, botToken: ' xoxb-new ', unassignedAfter: '' })).toMatchObject({
      bot_token: 'xoxb-new',
      unassigned_after_minutes: null,
    });
    expect(slackInput({ ...values, mode: 'incoming_webhook' })).not.toHaveProperty('channel');
  });

  it('keeps a stored credential only within the mode it was stored for', () => {
    expect(hasStoredCredential(BOT, 'bot')).toBe(true);
    expect(hasStoredCredential(BOT, 'incoming_webhook')).toBe(false);
    expect(hasStoredCredential({ connected: false }, 'bot')).toBe(false);
  });
});

describe('SlackConnection', () => {
  it('connects a bot, then shows the token masked and an empty field to keep it', async () => {
    const server = slackServer();
    renderWithProviders(<SlackConnection />);

    expect(await screen.findByText('Not connected')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Slack app (bot token and channel)' })).toBeChecked();
    expect(screen.queryByRole('button', { name: 'Send a test alert' })).toBeNull();
    const token = screen.getByLabelText('Bot token');
    expect(token).toBeRequired();
    fireEvent.input(token, { target: { value: 'xoxb-1234-abcd' } });
    fireEvent.input(screen.getByLabelText('Channel'), { target: { value: '#alerts' } });
    fireEvent.input(screen.getByLabelText('A ticket waits without an assignee for (minutes)'), {
      target: { value: '15' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Connect Slack' }));

    expect(await screen.findByText('Slack settings saved.')).toHaveAttribute('role', 'status');
    expect(server.calls.find((c) => c.method === 'PUT')?.body).toEqual({
      mode: 'bot',
      bot_token: 'xoxb-1234-abcd',
      channel: '#alerts',
      alert_urgent: true,
      alert_sla_breaches: true,
      unassigned_after_minutes: 15,
    });
    expect(await screen.findByText('Connected')).toBeInTheDocument();
    const kept = screen.getByLabelText('Bot token');
    expect(kept).toHaveValue('');
    expect(kept).not.toBeRequired();
    expect(kept).toHaveAccessibleDescription('Stored: xoxb-…9z9z. Leave empty to keep the stored token.');
  });

  it('saves alert changes without resending the stored token', async () => {
    const server = slackServer(BOT);
    renderWithProviders(<SlackConnection />);

    fireEvent.click(await screen.findByRole('checkbox', { name: 'A ticket misses its SLA' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save Slack settings' }));

    await screen.findByText('Slack settings saved.');
    const body = server.calls.find((c) => c.method === 'PUT')?.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('bot_token');
    expect(body).toMatchObject({ mode: 'bot', channel: '#support', alert_sla_breaches: true });
  });

  it('asks for a webhook URL when switching mode, since the bot token does not carry over', async () => {
    slackServer(BOT);
    renderWithProviders(<SlackConnection />);
    fireEvent.click(await screen.findByRole('radio', { name: 'Incoming webhook URL' }));
    const url = screen.getByLabelText('Webhook URL');
    expect(url).toBeRequired();
    expect(url).toHaveAccessibleDescription(/Starts with https:\/\/hooks.slack.com\//);
    expect(screen.queryByLabelText('Channel')).toBeNull();
  });

  it('shows what Slack answered to a test alert', async () => {
    slackServer(BOT, (r) =>
      r.path === '/integrations/slack/test'
        ? { body: { ok: false, status_code: null, latency_ms: 87, error: 'Slack answered channel_not_found' } }
        : undefined,
    );
    renderWithProviders(<SlackConnection />);
    fireEvent.click(await screen.findByRole('button', { name: 'Send a test alert' }));
    expect(await screen.findByText('The test alert failed: Slack answered channel_not_found (87 ms).')).toHaveClass(
      'save-status--failed',
    );
  });

  it('puts field errors from the server next to their field', async () => {
    slackServer(BOT, (r) =>
      r.method === 'PUT'
        ? {
            status: 422,
            body: {
              title: 'Validation failed',
              status: 422,
              detail: 'channel: is required to connect a bot',
              errors: [{ field: 'channel', message: 'is required to connect a bot' }],
            },
          }
        : undefined,
    );
    renderWithProviders(<SlackConnection />);
    fireEvent.click(await screen.findByRole('button', { name: 'Save Slack settings' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Channel')).toHaveAccessibleDescription(
        'The channel alerts go to, e.g. #support. is required to connect a bot',
      ),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Could not save: channel: is required to connect a bot');
  });

  it('disconnects after confirmation', async () => {
    vi.stubGlobal('confirm', () => true);
    const server = slackServer(BOT);
    renderWithProviders(<SlackConnection />);
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect' }));
    expect(await screen.findByText('Slack disconnected. The stored token or URL was deleted.')).toBeInTheDocument();
    expect(server.connection()).toEqual({ connected: false });
    expect(await screen.findByText('Not connected')).toBeInTheDocument();
    expect(screen.getByLabelText('Bot token')).toHaveValue('');
  });
});
