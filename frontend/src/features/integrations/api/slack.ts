import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { ConnectionTest, SlackConnection, SlackConnectionInput, SlackMode } from '@/types/api';

export function useSlackConnection() {
  return useQuery({
    queryKey: queryKeys.slack,
    queryFn: ({ signal }) => api.get<SlackConnection>('/integrations/slack', { signal }),
  });
}

export function saveSlackConnection(input: SlackConnectionInput): Promise<SlackConnection> {
  return api.put<SlackConnection>('/integrations/slack', input);
}

export function disconnectSlack(): Promise<void> {
  return api.delete('/integrations/slack');
}

export function testSlackConnection(): Promise<ConnectionTest> {
  return api.post<ConnectionTest>('/integrations/slack/test');
}

/** What the Slack form edits; the secret fields start empty (the server only shows them masked). */
export interface SlackFormValues {
  mode: SlackMode;
  botToken: string;
  /** The Slack app's signing secret: turns on the "Take it" button on alerts. */
  signingSecret: string;
  channel: string;
  webhookUrl: string;
  alertUrgent: boolean;
  alertSlaBreaches: boolean;
  /** Minutes as typed; empty for no unassigned-ticket alerts. */
  unassignedAfter: string;
}

export function slackFormValues(connection: SlackConnection): SlackFormValues {
  return {
    mode: connection.mode ?? 'bot',
    botToken: '',
    signingSecret: '',
    channel: connection.channel ?? '',
    webhookUrl: '',
    alertUrgent: connection.alert_urgent ?? true,
    alertSlaBreaches: connection.alert_sla_breaches ?? true,
    unassignedAfter: connection.unassigned_after_minutes ? String(connection.unassigned_after_minutes) : '',
  };
}

/** Whether the server holds a credential for `mode` that an empty field keeps (only within one mode). */
export function hasStoredCredential(connection: SlackConnection, mode: SlackMode): boolean {
  if (!connection.connected || connection.mode !== mode) return false;
  return Boolean(mode === 'bot' ? connection.bot_token : connection.webhook_url);
}

/** The PUT body: an empty token or URL is left out, so the stored one is kept. */
export function slackInput(values: SlackFormValues): SlackConnectionInput {
  const minutes = values.unassignedAfter.trim();
  const input: SlackConnectionInput = {
    mode: values.mode,
    alert_urgent: values.alertUrgent,
    alert_sla_breaches: values.alertSlaBreaches,
    unassigned_after_minutes: minutes === '' ? null : Number(minutes),
  };
  if (values.mode === 'bot') {
    if (values.botToken.trim()) input.bot_token = values.botToken.trim();
    if (values.signingSecret.trim()) input.signing_secret = values.signingSecret.trim();
    input.channel = values.channel.trim();
  } else if (values.webhookUrl.trim()) {
    input.webhook_url = values.webhookUrl.trim();
  }
  return input;
}
