import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { ErrorMessage, errorMessage, Loading } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import type { ConnectionTest, SlackConnection as Connection, SlackMode } from '@/types/api';
import {
  disconnectSlack,
  hasStoredCredential,
  saveSlackConnection,
  slackFormValues,
  slackInput,
  testSlackConnection,
  useSlackConnection,
  type SlackFormValues,
} from '../api/slack';

const MODES: { mode: SlackMode; label: string }[] = [
  { mode: 'bot', label: 'Slack app (bot token and channel)' },
  { mode: 'incoming_webhook', label: 'Incoming webhook URL' },
];

/** Slack: how it is connected, which alerts it gets, a test alert, and disconnecting. */
export function SlackConnection() {
  const connection = useSlackConnection();
  if (connection.isPending) return <Loading label="Loading the Slack connection…" />;
  if (connection.isError) return <ErrorMessage error={connection.error} onRetry={() => void connection.refetch()} />;
  return <SlackForm connection={connection.data} />;
}

function connectionDetails(connection: Connection): string {
  if (!connection.connected) return 'Alerts are not posted to Slack.';
  return connection.mode === 'bot'
    ? `A Slack app posts to ${connection.channel ?? 'a channel'} (token ${connection.bot_token ?? 'stored'}).`
    : `An incoming webhook posts to its channel (${connection.webhook_url ?? 'URL stored'}).`;
}

interface Outcome {
  text: string;
  failed: boolean;
}

function testOutcome(answer: ConnectionTest): string {
  const latency = answer.latency_ms === null ? '' : ` (${answer.latency_ms} ms)`;
  return answer.ok
    ? `Slack accepted the test alert${latency}. Check the channel.`
    : `The test alert failed: ${answer.error ?? 'no answer'}${latency}.`;
}

function SlackForm({ connection }: { connection: Connection }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<SlackFormValues>(() => slackFormValues(connection));
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const stored = hasStoredCredential(connection, values.mode);
  // What the server now holds; the secret fields start empty again.
  const settle = (answer: Connection, text: string) => {
    queryClient.setQueryData(queryKeys.slack, answer);
    setValues(slackFormValues(answer));
    setOutcome({ text, failed: false });
  };

  const save = useMutation({
    mutationFn: saveSlackConnection,
    onSuccess: (answer) => settle(answer, 'Slack settings saved.'),
  });
  const test = useMutation({
    mutationFn: testSlackConnection,
    onSuccess: (answer) => setOutcome({ text: testOutcome(answer), failed: !answer.ok }),
  });
  const disconnect = useMutation({
    mutationFn: disconnectSlack,
    onSuccess: () => settle({ connected: false }, 'Slack disconnected. The stored token or URL was deleted.'),
  });
  const errors = isApiError(save.error) ? errorsByField(save.error.fieldErrors) : {};
  const set = <K extends keyof SlackFormValues>(key: K, value: SlackFormValues[K]) => {
    setOutcome(null);
    setValues({ ...values, [key]: value });
  };
  const start = () => {
    setOutcome(null);
    [save, test, disconnect].forEach((m) => m.reset());
  };

  return (
    <form
      class="form slack-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (save.isPending) return;
        start();
        save.mutate(slackInput(values));
      }}
    >
      <p class="connection-state">
        <span class={`badge ${connection.connected ? 'badge--on' : 'badge--off'}`}>
          {connection.connected ? 'Connected' : 'Not connected'}
        </span>{' '}
        {connectionDetails(connection)}
        {connection.updated_at && (
          <span class="muted small"> Last changed {formatDateTime(connection.updated_at)}.</span>
        )}
      </p>

      <fieldset class="slack-form__modes">
        <legend>Connect with</legend>
        {MODES.map(({ mode, label }) => (
          <label class="check" key={mode}>
            <input
              type="radio"
              name="slack-mode"
              value={mode}
              checked={values.mode === mode}
              onChange={() => set('mode', mode)}
            />
            {label}
          </label>
        ))}
      </fieldset>

      {values.mode === 'bot' ? (
        <div class="form__pair">
          <Field
            label="Bot token"
            error={errors.bot_token}
            hint={
              stored
                ? `Stored: ${connection.bot_token}. Leave empty to keep the stored token.`
                : 'Starts with xoxb-. The app needs the chat:write scope and must be invited to the channel.'
            }
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                type="password"
                autoComplete="off"
                spellcheck={false}
                required={!stored}
                value={values.botToken}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onInput={(e) => set('botToken', e.currentTarget.value)}
              />
            )}
          </Field>
          <Field
            label="Signing secret (optional)"
            error={errors.signing_secret}
            hint={
              connection.signing_secret
                ? `Stored: ${connection.signing_secret}. Leave empty to keep it.`
                : 'From the Slack app\'s Basic Information page. With it, alerts get a "Take it" button (the app needs users:read.email and the interactivity URL /api/v1/integrations/slack/interactions).'
            }
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                type="password"
                autoComplete="off"
                spellcheck={false}
                pattern="[a-f0-9]{32}"
                value={values.signingSecret}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onInput={(e) => set('signingSecret', e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Channel" hint="The channel alerts go to, e.g. #support." error={errors.channel}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                required
                autoComplete="off"
                spellcheck={false}
                pattern="#?[A-Za-z0-9._\-]{1,80}"
                placeholder="#support"
                value={values.channel}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onInput={(e) => set('channel', e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
      ) : (
        <Field
          label="Webhook URL"
          error={errors.webhook_url}
          hint={
            stored
              ? `Stored: ${connection.webhook_url}. Leave empty to keep the stored URL.`
              : 'Starts with https://hooks.slack.com/. Slack shows it when you add an incoming webhook to a channel.'
          }
        >
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="url"
              autoComplete="off"
              spellcheck={false}
              required={!stored}
              value={values.webhookUrl}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onInput={(e) => set('webhookUrl', e.currentTarget.value)}
            />
          )}
        </Field>
      )}

      <fieldset class="slack-form__alerts">
        <legend>Post an alert when</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={values.alertUrgent}
            onChange={(e) => set('alertUrgent', e.currentTarget.checked)}
          />
          A ticket is urgent (created urgent, or raised to urgent)
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={values.alertSlaBreaches}
            onChange={(e) => set('alertSlaBreaches', e.currentTarget.checked)}
          />
          A ticket misses its SLA
        </label>
        <Field
          label="A ticket waits without an assignee for (minutes)"
          hint="Leave empty for no such alert. At most 10080 (a week)."
          error={errors.unassigned_after_minutes}
        >
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              class="input--short"
              type="number"
              inputMode="numeric"
              min={1}
              max={10080}
              step={1}
              value={values.unassignedAfter}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onInput={(e) => set('unassignedAfter', e.currentTarget.value)}
            />
          )}
        </Field>
      </fieldset>

      <div class="form__actions">
        <button type="submit" class="button button--primary">
          {save.isPending ? 'Saving…' : connection.connected ? 'Save Slack settings' : 'Connect Slack'}
        </button>
        {connection.connected && (
          <>
            <button
              type="button"
              class="button"
              onClick={() => {
                if (test.isPending) return;
                start();
                test.mutate();
              }}
            >
              {test.isPending ? 'Sending…' : 'Send a test alert'}
            </button>
            <button
              type="button"
              class="button button--danger"
              onClick={() => {
                if (disconnect.isPending) return;
                if (!window.confirm('Disconnect Slack? Alerts stop, and the stored token or URL is deleted.')) return;
                start();
                disconnect.mutate();
              }}
            >
              Disconnect
            </button>
          </>
        )}
      </div>
      <p class={`save-status${outcome?.failed ? ' save-status--failed' : ''}`} role="status">
        {outcome?.text}
      </p>
      {save.isError && (
        <p class="form__error" role="alert">
          Could not save: {errorMessage(save.error)}
        </p>
      )}
      {(test.isError || disconnect.isError) && (
        <p class="form__error" role="alert">
          {errorMessage(test.error ?? disconnect.error)}
        </p>
      )}
    </form>
  );
}
