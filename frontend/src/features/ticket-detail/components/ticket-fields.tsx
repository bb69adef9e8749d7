import { useEffect, useState } from 'preact/hooks';
import { PriorityBadge, StatusBadge } from '@/components/badges';
import { PRIORITY_LABELS, STATUS_LABELS } from '@/lib/format';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type Ticket,
  type TicketPriority,
  type TicketStatus,
  type User,
} from '@/types/api';
import type { TicketPatch } from '../api/ticket';

interface TicketFieldsProps {
  ticket: Ticket;
  users: User[];
  canWrite: boolean;
  canAssign: boolean;
  saving: boolean;
  onSave: (patch: TicketPatch) => void;
}

/** Status, priority, assignee, queue and tags, each saved as soon as it changes. */
export function TicketFields({ ticket, users, canWrite, canAssign, saving, onSave }: TicketFieldsProps) {
  const assigneeName = ticket.assignee_id
    ? (users.find((u) => u.id === ticket.assignee_id)?.name ?? 'Someone')
    : 'Unassigned';
  return (
    <section class="panel ticket-fields" aria-labelledby="ticket-fields-heading" aria-busy={saving}>
      <h2 id="ticket-fields-heading" class="panel__title">
        Properties {saving && <span class="muted small">Saving…</span>}
      </h2>
      <dl class="props">
        <dt>
          <label for="ticket-status">Status</label>
        </dt>
        <dd>
          {canWrite ? (
            <select
              id="ticket-status"
              value={ticket.status}
              disabled={saving}
              onChange={(e) => onSave({ status: e.currentTarget.value as TicketStatus })}
            >
              {TICKET_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          ) : (
            <StatusBadge status={ticket.status} />
          )}
        </dd>
        <dt>
          <label for="ticket-priority">Priority</label>
        </dt>
        <dd>
          {canWrite ? (
            <select
              id="ticket-priority"
              value={ticket.priority}
              disabled={saving}
              onChange={(e) => onSave({ priority: e.currentTarget.value as TicketPriority })}
            >
              {TICKET_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_LABELS[p]}
                </option>
              ))}
            </select>
          ) : (
            <PriorityBadge priority={ticket.priority} />
          )}
        </dd>
        <dt>
          <label for="ticket-assignee">Assignee</label>
        </dt>
        <dd>
          {canAssign ? (
            <select
              id="ticket-assignee"
              value={ticket.assignee_id ?? ''}
              disabled={saving}
              onChange={(e) => onSave({ assignee_id: e.currentTarget.value || null })}
            >
              <option value="">Unassigned</option>
              {users
                .filter((u) => u.active && u.role !== 'viewer')
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
          ) : (
            <span id="ticket-assignee">{assigneeName}</span>
          )}
        </dd>
        <dt>
          <label for="ticket-queue">Queue</label>
        </dt>
        <dd>
          <TextProp
            id="ticket-queue"
            value={ticket.queue ?? ''}
            editable={canWrite}
            disabled={saving}
            onSave={(v) => onSave({ queue: v || null })}
          />
        </dd>
        <dt>
          <label for="ticket-tags">Tags</label>
        </dt>
        <dd>
          <TextProp
            id="ticket-tags"
            value={ticket.tags.join(', ')}
            editable={canWrite}
            disabled={saving}
            hint="Comma-separated"
            onSave={(v) =>
              onSave({
                tags: [
                  ...new Set(
                    v
                      .split(',')
                      .map((t) => t.trim())
                      .filter(Boolean),
                  ),
                ],
              })
            }
          />
        </dd>
        {ticket.csat && (
          <>
            <dt>Satisfaction</dt>
            <dd>
              <span class={`csat-badge csat-badge--${ticket.csat.rating}`}>
                {ticket.csat.rating === 'good' ? 'Good' : 'Bad'}
              </span>
              {ticket.csat.comment && <q class="small"> {ticket.csat.comment}</q>}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

interface TextPropProps {
  id: string;
  value: string;
  editable: boolean;
  disabled: boolean;
  hint?: string;
  onSave: (value: string) => void;
}

/** A text property saved when the field is left or Enter is pressed, if it changed. */
function TextProp({ id, value, editable, disabled, hint, onSave }: TextPropProps) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  if (!editable) return <span id={id}>{value || '—'}</span>;
  return (
    <>
      <input
        id={id}
        value={text}
        disabled={disabled}
        placeholder={hint}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={() => text.trim() !== value && onSave(text.trim())}
      />
    </>
  );
}
