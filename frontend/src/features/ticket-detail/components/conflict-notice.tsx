import { fieldLabel, formatValue } from '@/lib/format';
import type { Ticket } from '@/types/api';
import { conflictingChanges, type TicketPatch } from '../api/ticket';

export interface Conflict {
  seen: Ticket;
  current: Ticket;
  attempted: TicketPatch;
}

interface ConflictNoticeProps {
  conflict: Conflict;
  nameOf: (userId: unknown) => string;
  onReapply: () => void;
  onDismiss: () => void;
}

/** A 409: shows what a colleague changed meanwhile and lets the agent apply their own change again. */
export function ConflictNotice({ conflict, nameOf, onReapply, onDismiss }: ConflictNoticeProps) {
  const show = (field: string, value: unknown) => (field === 'assignee_id' ? nameOf(value) : formatValue(value));
  const theirs = conflictingChanges(conflict.seen, conflict.current);
  return (
    <section class="notice notice--warning" role="alert" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading" class="notice__title">
        Someone changed this ticket while you were editing
      </h2>
      {theirs.length > 0 ? (
        <ul class="change-list">
          {theirs.map((change) => (
            <li key={change.field}>
              <strong>{fieldLabel(change.field)}</strong>: {show(change.field, change.from)} →{' '}
              {show(change.field, change.to)}
            </li>
          ))}
        </ul>
      ) : (
        <p>The ticket was updated (for example by a reply). Its properties are unchanged.</p>
      )}
      <p>
        Your change, not saved:{' '}
        {Object.entries(conflict.attempted).map(([field, value], index) => (
          <span key={field}>
            {index > 0 && '; '}
            <strong>{fieldLabel(field)}</strong> → {show(field, value)}
          </span>
        ))}
      </p>
      <div class="notice__actions">
        <button type="button" class="button button--primary" onClick={onReapply}>
          Apply my change again
        </button>
        <button type="button" class="button" onClick={onDismiss}>
          Keep their version
        </button>
      </div>
    </section>
  );
}
