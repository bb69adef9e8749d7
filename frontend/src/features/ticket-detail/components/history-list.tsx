import { Empty, ErrorMessage, Loading } from '@/components/status';
import { fieldLabel, formatDateTime, formatNote, formatValue } from '@/lib/format';
import { useTicketHistory } from '../api/ticket';

export function HistoryList({ ticketId, nameOf }: { ticketId: string; nameOf: (userId: unknown) => string }) {
  const history = useTicketHistory(ticketId, true);
  if (history.isPending) return <Loading label="Loading history…" />;
  if (history.isError) return <ErrorMessage error={history.error} onRetry={() => void history.refetch()} />;
  if (history.data.items.length === 0) return <Empty title="No changes yet." />;
  const show = (field: string, value: unknown) => {
    if (field === 'assignee_id') return nameOf(value);
    if (field === 'watchers' && Array.isArray(value)) return value.length ? value.map(nameOf).join(', ') : '(none)';
    return formatValue(value);
  };
  return (
    <ol class="history">
      {history.data.items.map((entry, index) => (
        <li key={`${entry.at}-${index}`} class="history__entry">
          <p class="history__meta">
            <strong>{entry.actor?.name ?? 'System'}</strong> ·{' '}
            <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
          </p>
          {entry.changes.length > 0 && (
            <ul class="change-list">
              {entry.changes.map((change) => (
                <li key={change.field}>
                  {fieldLabel(change.field)}: {show(change.field, change.from)} → {show(change.field, change.to)}
                </li>
              ))}
            </ul>
          )}
          {formatNote(entry.note) && <p class="history__note">{formatNote(entry.note)}</p>}
        </li>
      ))}
    </ol>
  );
}
