import { useMutation } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { Empty, ErrorMessage, errorMessage, Loading } from '@/components/status';
import { formatDateTime } from '@/lib/format';
import type { WebhookDelivery } from '@/types/api';
import { redeliver, useWebhookDeliveries } from '../api/webhooks';

function Result({ delivery }: { delivery: WebhookDelivery }) {
  const code = delivery.status_code === null ? 'no answer' : `HTTP ${delivery.status_code}`;
  return (
    <span class={`delivery-result delivery-result--${delivery.outcome}`}>
      {delivery.outcome === 'delivered' ? 'Delivered' : 'Failed'} · {code}
    </span>
  );
}

/** One endpoint's delivery log, newest first: status code, latency, attempt, error, time. */
export function WebhookDeliveries({ endpointId, name }: { endpointId: string; name: string }) {
  const log = useWebhookDeliveries(endpointId);
  const [queued, setQueued] = useState('');
  const again = useMutation({
    mutationFn: (deliveryId: string) => redeliver(endpointId, deliveryId),
    onSuccess: (answer) => setQueued(`Queued again (${answer.event_id}). The new attempt appears here once sent.`),
  });
  const caption = `Deliveries to ${name}, newest first`;

  if (log.isPending) return <Loading label="Loading deliveries…" />;
  if (log.isError) return <ErrorMessage error={log.error} onRetry={() => void log.refetch()} />;
  const deliveries = log.data.pages.flatMap((page) => page.items);

  return (
    <div class="stack deliveries">
      <div class="deliveries__bar">
        <h4 class="deliveries__title">Delivery log</h4>
        <button type="button" class="button button--small" onClick={() => void log.refetch()} disabled={log.isFetching}>
          {log.isFetching ? 'Refreshing…' : 'Refresh'} <span class="visually-hidden">the delivery log</span>
        </button>
      </div>
      {deliveries.length === 0 ? (
        <Empty title="No deliveries yet.">
          <p class="muted">Send a test event, or wait for a subscribed event to happen.</p>
        </Empty>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
          <table class="data-table">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col" class="num">
                  Attempt
                </th>
                <th scope="col">Result</th>
                <th scope="col" class="num">
                  Latency
                </th>
                <th scope="col">Error</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <td class="cell--nowrap">
                    <time dateTime={delivery.at}>{formatDateTime(delivery.at)}</time>
                  </td>
                  <td>
                    <code>{delivery.event_type}</code>
                  </td>
                  <td class="num">{delivery.attempt}</td>
                  <td>
                    <Result delivery={delivery} />
                  </td>
                  <td class="num">{delivery.latency_ms === null ? '—' : `${delivery.latency_ms} ms`}</td>
                  <td class="cell--error">{delivery.error ?? '—'}</td>
                  <td>
                    <button
                      type="button"
                      class="button button--small"
                      onClick={() => {
                        setQueued('');
                        again.mutate(delivery.id);
                      }}
                    >
                      Redeliver{' '}
                      <span class="visually-hidden">
                        {delivery.event_type} of {formatDateTime(delivery.at)}
                      </span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="save-status" role="status">
        {queued}
      </p>
      {again.isError && (
        <p class="form__error" role="alert">
          Could not redeliver: {errorMessage(again.error)}
        </p>
      )}
      {log.hasNextPage && (
        <button type="button" class="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          {log.isFetchingNextPage ? 'Loading more…' : 'Load older deliveries'}
        </button>
      )}
    </div>
  );
}
