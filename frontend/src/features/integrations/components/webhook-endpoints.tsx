import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useRef, useState } from 'preact/hooks';
import { Empty, ErrorMessage, errorMessage, Loading } from '@/components/status';
import { formatDateTime } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import type { ConnectionTest, CreatedWebhookEndpoint, WebhookEndpoint } from '@/types/api';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  describeEvents,
  testWebhookEndpoint,
  updateWebhookEndpoint,
  useWebhookEndpoints,
  type WebhookChanges,
} from '../api/webhooks';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookForm } from './webhook-form';
import { WebhookSecret } from './webhook-secret';

/** Endpoints with their state, test, delivery log, edit, enable/disable and delete; and adding one. */
export function WebhookEndpoints() {
  const endpoints = useWebhookEndpoints();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<CreatedWebhookEndpoint | null>(null);
  const [formKey, setFormKey] = useState(0);
  const addHeading = useRef<HTMLHeadingElement>(null);
  const create = useMutation({
    mutationFn: createWebhookEndpoint,
    onSuccess: (endpoint) => {
      setCreated(endpoint);
      setFormKey((key) => key + 1);
      void queryClient.invalidateQueries({ queryKey: queryKeys.webhooks, exact: true });
    },
  });

  return (
    <div class="stack">
      {endpoints.isPending && <Loading label="Loading webhook endpoints…" />}
      {endpoints.isError && <ErrorMessage error={endpoints.error} onRetry={() => void endpoints.refetch()} />}
      {endpoints.data && endpoints.data.items.length === 0 && (
        <Empty title="No webhook endpoints yet.">
          <p class="muted">Add one below to send ticket events to another system.</p>
        </Empty>
      )}
      {endpoints.data && endpoints.data.items.length > 0 && (
        <ul class="endpoints" aria-label="Webhook endpoints">
          {endpoints.data.items.map((endpoint) => (
            <EndpointCard key={endpoint.id} endpoint={endpoint} />
          ))}
        </ul>
      )}

      <section class="panel" aria-labelledby="add-webhook-heading">
        <h3 id="add-webhook-heading" class="panel__title" tabIndex={-1} ref={addHeading}>
          Add an endpoint
        </h3>
        {created ? (
          <WebhookSecret
            endpoint={created}
            onDone={() => {
              setCreated(null);
              create.reset();
              addHeading.current?.focus();
            }}
          />
        ) : (
          <WebhookForm
            key={formKey}
            labelledBy="add-webhook-heading"
            submitLabel="Add endpoint"
            pending={create.isPending}
            error={create.error}
            onSubmit={(input) => create.mutate(input)}
          />
        )}
      </section>
    </div>
  );
}

function testOutcome(answer: ConnectionTest): string {
  const code = answer.status_code ? `HTTP ${answer.status_code}` : 'no answer';
  const latency = answer.latency_ms === null ? '' : ` in ${answer.latency_ms} ms`;
  return answer.ok
    ? `Test event delivered: ${code}${latency}.`
    : `Test event failed: ${answer.error ?? code}${answer.error && answer.status_code ? ` (${code})` : ''}${latency}.`;
}

function EndpointState({ endpoint }: { endpoint: WebhookEndpoint }) {
  if (!endpoint.enabled) return <span class="badge badge--off">Disabled</span>;
  if (endpoint.failing_since) return <span class="badge badge--warning">Failing</span>;
  return <span class="badge badge--on">Active</span>;
}

function EndpointCard({ endpoint }: { endpoint: WebhookEndpoint }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const [testResult, setTestResult] = useState<ConnectionTest | null>(null);
  const name = endpoint.description || endpoint.url;
  const logId = `deliveries-${endpoint.id}`;
  const refreshList = () => void queryClient.invalidateQueries({ queryKey: queryKeys.webhooks, exact: true });
  const refreshLog = () => void queryClient.invalidateQueries({ queryKey: queryKeys.webhookDeliveries(endpoint.id) });

  const update = useMutation({
    mutationFn: (changes: WebhookChanges) => updateWebhookEndpoint(endpoint.id, changes),
    onSuccess: () => {
      setEditing(false);
      refreshList();
    },
  });
  const remove = useMutation({ mutationFn: () => deleteWebhookEndpoint(endpoint.id), onSuccess: refreshList });
  const test = useMutation({
    mutationFn: () => testWebhookEndpoint(endpoint.id),
    onMutate: () => setTestResult(null),
    onSuccess: (answer) => {
      setTestResult(answer);
      refreshLog(); // the test is logged like any delivery
      refreshList(); // and may change the failing state
    },
  });
  const busy = update.isPending || remove.isPending || test.isPending;
  const failure = [update, remove, test].find((m) => m.isError)?.error;

  return (
    <li class="endpoint panel" aria-busy={busy}>
      <div class="endpoint__head">
        <h3 class="endpoint__url">{endpoint.url}</h3>
        <EndpointState endpoint={endpoint} />
      </div>
      {endpoint.description && <p class="endpoint__description">{endpoint.description}</p>}
      <p class="small">
        <span class="muted">Events:</span> {describeEvents(endpoint.event_types)} · <span class="muted">added</span>{' '}
        {formatDateTime(endpoint.created_at)}
      </p>
      {!endpoint.enabled && (
        <p class="notice notice--warning small">
          Not sending events{endpoint.disabled_reason ? `: ${endpoint.disabled_reason}` : ''}. Fix the receiver, send a
          test event, then enable the endpoint again.
        </p>
      )}
      {endpoint.enabled && endpoint.failing_since && (
        <p class="notice notice--warning small">
          Deliveries have failed since {formatDateTime(endpoint.failing_since)}. If they keep failing, the endpoint is
          disabled.
        </p>
      )}

      <div class="endpoint__actions">
        <button type="button" class="button button--small" onClick={() => !test.isPending && test.mutate()}>
          {test.isPending ? 'Sending…' : 'Send test event'} <span class="visually-hidden">to {name}</span>
        </button>
        <button
          type="button"
          class="button button--small"
          aria-expanded={showLog}
          aria-controls={showLog ? logId : undefined}
          onClick={() => setShowLog(!showLog)}
        >
          Delivery log <span class="visually-hidden">of {name}</span>
        </button>
        <button
          type="button"
          class="button button--small"
          aria-expanded={editing}
          onClick={() => {
            update.reset();
            setEditing(!editing);
          }}
        >
          Edit <span class="visually-hidden">{name}</span>
        </button>
        <button
          type="button"
          class="button button--small"
          onClick={() => !update.isPending && update.mutate({ enabled: !endpoint.enabled })}
        >
          {endpoint.enabled ? 'Disable' : 'Enable'} <span class="visually-hidden">{name}</span>
        </button>
        <button
          type="button"
          class="button button--small button--danger"
          onClick={() =>
            !remove.isPending &&
            window.confirm(`Delete the endpoint ${endpoint.url}? It stops receiving events at once.`) &&
            remove.mutate()
          }
        >
          Delete <span class="visually-hidden">{name}</span>
        </button>
      </div>
      <p class={`save-status${testResult && !testResult.ok ? ' save-status--failed' : ''}`} role="status">
        {testResult && testOutcome(testResult)}
      </p>
      {failure != null && !editing && (
        <p class="form__error" role="alert">
          {errorMessage(failure)}
        </p>
      )}

      {editing && (
        <WebhookForm
          label={`Edit ${name}`}
          initial={{ url: endpoint.url, description: endpoint.description, event_types: endpoint.event_types }}
          submitLabel="Save endpoint"
          pending={update.isPending}
          error={update.error}
          onSubmit={(input) => update.mutate(input)}
          onCancel={() => setEditing(false)}
        />
      )}
      {showLog && (
        <div id={logId}>
          <WebhookDeliveries endpointId={endpoint.id} name={name} />
        </div>
      )}
    </li>
  );
}
