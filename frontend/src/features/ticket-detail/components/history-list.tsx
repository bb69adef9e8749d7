import { RelativeTime } from '@/components/relative-time';
import { Empty, ErrorMessage, Loading } from '@/components/status';
import { fieldLabel, formatNote, formatValue } from '@/lib/format';
import { useTicketHistory } from '../api/ticket';

/** Who made a change, in words: a person's current name, an API key, the router or a rule. */
export function actorName(actor: unknown, nameOf: (userId: unknown) => string): string {
  if (!actor || typeof actor !== 'object') return 'System';
  const { type, id, name } = actor as { type?: string; id?: string; name?: string };
  if (type === 'user') {
    const current = nameOf(id);
    return current !== 'Someone' && current !== 'Unassigned' ? current : (name ?? 'Someone');
  }
  if (type === 'api_key') return `API key ${name ?? ''}`.trim();
  if (type === 'system') return 'Pulsedesk (automatic)';
  if (type === 'rule') return `Rule ${name ?? ''}`.trim();
  if (type === 'requester') return name ? `${name} (requester)` : 'The requester';
  return name ?? 'System';
}

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
            <strong>{actorName(entry.actor, nameOf)}</strong> · <RelativeTime iso={entry.at} />
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
