import { useState } from 'preact/hooks';
import { Empty, ErrorMessage, Loading } from '@/components/status';
import { formatDateTime } from '@/lib/format';
import { useDocumentTitle } from '@/lib/document-title';
import { type PortalStatus, useMyRequests } from '../api/portal-api';
import { usePortalLive } from './portal-live';

export function MyRequests({ slug }: { slug: string }) {
  useDocumentTitle('My requests');
  const [status, setStatus] = useState<PortalStatus>('open');
  const requests = useMyRequests(slug, status);
  usePortalLive(slug);
  return (
    <section aria-labelledby="my-requests">
      <div class="portal__title-row">
        <h1 id="my-requests">My requests</h1>
        <a class="button button--primary" href={`/portal/${slug}/requests/new`}>
          New request
        </a>
      </div>
      <div class="portal-tabs" role="group" aria-label="Show">
        {(['open', 'solved'] as const).map((value) => (
          <button
            key={value}
            type="button"
            class={`button${status === value ? ' button--primary' : ''}`}
            aria-pressed={status === value}
            onClick={() => setStatus(value)}
          >
            {value === 'open' ? 'Open' : 'Solved'}
          </button>
        ))}
      </div>
      {requests.isPending ? (
        <Loading />
      ) : requests.isError ? (
        <ErrorMessage error={requests.error} onRetry={() => void requests.refetch()} />
      ) : requests.data.items.length === 0 ? (
        <Empty title={status === 'open' ? 'No open requests.' : 'No solved requests yet.'} />
      ) : (
        <ul class="portal-list">
          {requests.data.items.map((request) => (
            <li key={request.id} class="portal-list__item">
              <a href={`/portal/${slug}/requests/${request.id}`} class="portal-list__link">
                <span class="portal-list__subject">{request.subject}</span>
                <span class="muted small">
                  #{request.number} · updated {formatDateTime(request.updated_at)}
                </span>
              </a>
              <span class={`badge badge--status-${request.status}`}>
                {request.status === 'open' ? 'Open' : 'Solved'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
