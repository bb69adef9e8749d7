import { useState } from 'preact/hooks';
import { InlineField } from '@/components/field';
import { RelativeTime } from '@/components/relative-time';
import { Empty, ErrorMessage, Loading } from '@/components/status';
import { useUsers } from '@/lib/users';
import type { AuditEvent } from '@/types/api';
import {
  ACTION_FAMILIES,
  type AuditFilters,
  describeAction,
  describeParty,
  downloadAuditCsv,
  useAuditLog,
} from '../api/audit';

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

function TargetLink({ event }: { event: AuditEvent }) {
  const target = event.target as { type?: string; id?: string };
  const label = describeParty(event.target);
  if (target.type === 'ticket' && target.id) return <a href={`/tickets/${encodeURIComponent(target.id)}`}>{label}</a>;
  return <>{label}</>;
}

function AuditFilterBar({ filters, onChange }: { filters: AuditFilters; onChange: (f: AuditFilters) => void }) {
  const users = useUsers().data?.items ?? [];
  const [exporting, setExporting] = useState<unknown>(null);
  const set = (patch: Partial<AuditFilters>) => onChange({ ...filters, ...patch });
  return (
    <section class="filter-bar audit-filters" aria-label="Audit filters">
      <div class="filter-bar__row">
        <InlineField label="Who">
          {(id) => (
            <select
              id={id}
              value={filters.actor ?? ''}
              onChange={(e) => set({ actor: e.currentTarget.value || undefined })}
            >
              <option value="">Anyone</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          )}
        </InlineField>
        <InlineField label="What">
          {(id) => (
            <select
              id={id}
              value={filters.action ?? ''}
              onChange={(e) => set({ action: e.currentTarget.value || undefined })}
            >
              <option value="">Everything</option>
              {ACTION_FAMILIES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </InlineField>
        <InlineField label="From">
          {(id) => (
            <input
              id={id}
              type="date"
              value={filters.from ?? ''}
              onChange={(e) => set({ from: e.currentTarget.value || undefined })}
            />
          )}
        </InlineField>
        <InlineField label="To">
          {(id) => (
            <input
              id={id}
              type="date"
              value={filters.to ?? ''}
              onChange={(e) => set({ to: e.currentTarget.value || undefined })}
            />
          )}
        </InlineField>
        <button
          type="button"
          class="button"
          onClick={() => {
            setExporting(null);
            downloadAuditCsv(filters).catch(setExporting);
          }}
        >
          Export CSV
        </button>
      </div>
      {exporting !== null && <ErrorMessage error={exporting} />}
    </section>
  );
}

export function AuditLog() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const log = useAuditLog(filters);
  const events = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div class="stack">
      <AuditFilterBar filters={filters} onChange={setFilters} />
      {log.isPending ? (
        <Loading label="Loading audit log…" />
      ) : log.isError ? (
        <ErrorMessage error={log.error} onRetry={() => void log.refetch()} />
      ) : events.length === 0 && !log.hasNextPage ? (
        <Empty
          title={Object.values(filters).some(Boolean) ? 'Nothing matches these filters.' : 'Nothing recorded yet.'}
        >
          <p>
            {Object.values(filters).some(Boolean)
              ? 'Clear a filter or choose a longer period.'
              : 'Sign-ins and every change to tickets, people and settings are recorded here as they happen.'}
          </p>
        </Empty>
      ) : (
        <table class="data-table data-table--stack">
          <caption class="visually-hidden">Audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">On</th>
              <th scope="col">Change</th>
              <th scope="col">Request</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td data-label="When">
                  <RelativeTime iso={event.at} />
                </td>
                <td data-label="Who">{describeParty(event.actor)}</td>
                <td data-label="What">
                  <span>
                    {describeAction(event.action)} <code class="cell__sub">{event.action}</code>
                  </span>
                </td>
                <td data-label="On">
                  <TargetLink event={event} />
                </td>
                <td data-label="Change">
                  <Change event={event} />
                </td>
                <td data-label="Request" class="small">
                  <span class="cell__sub">{event.source_ip ?? '—'}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log.hasNextPage && (
        <button type="button" class="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          {log.isFetchingNextPage ? 'Loading more…' : events.length === 0 ? 'Look further back' : 'Load more'}
        </button>
      )}
    </div>
  );
}
