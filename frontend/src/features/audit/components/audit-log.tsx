import { Empty, ErrorMessage, Loading } from '@/components/status';
import { formatDateTime } from '@/lib/format';
import type { AuditEvent } from '@/types/api';
import { describeParty, useAuditLog } from '../api/audit';

function Change({ event }: { event: AuditEvent }) {
  if (event.before === undefined && event.after === undefined) return <>—</>;
  if (event.before === null && event.after === null) return <>—</>;
  return (
    <details>
      <summary>Before / after</summary>
      <pre class="json">{JSON.stringify({ before: event.before, after: event.after }, null, 2)}</pre>
    </details>
  );
}

export function AuditLog() {
  const log = useAuditLog();
  if (log.isPending) return <Loading label="Loading audit log…" />;
  if (log.isError) return <ErrorMessage error={log.error} onRetry={() => void log.refetch()} />;
  const events = log.data.pages.flatMap((page) => page.items);
  if (events.length === 0) return <Empty title="Nothing recorded yet." />;
  return (
    <div class="stack">
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Audit events, newest first">
        <table class="data-table">
          <caption class="visually-hidden">Audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Change</th>
              <th scope="col">Request</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td>
                  <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                </td>
                <td>{describeParty(event.actor)}</td>
                <td>
                  <code>{event.action}</code>
                </td>
                <td>{describeParty(event.target)}</td>
                <td>
                  <Change event={event} />
                </td>
                <td class="small">
                  <span class="cell__sub">{event.source_ip ?? '—'}</span>
                  <code class="cell__sub">{event.request_id ?? ''}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {log.hasNextPage && (
        <button type="button" class="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          {log.isFetchingNextPage ? 'Loading more…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
