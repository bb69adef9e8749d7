import { useEffect, useState } from 'preact/hooks';
import { type AssigneeChoice, AssigneePicker } from '@/components/assignee-picker';
import { PriorityBadge, StatusBadge } from '@/components/badges';
import { CommitSelect } from '@/components/commit-select';
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
  /** People to assign to, best first (with availability and room); the users list when absent. */
  assigneeChoices?: AssigneeChoice[];
  queueSuggestions?: string[];
  tagSuggestions?: string[];
}

/** Status, priority, assignee, queue and tags, each saved as soon as it changes. */
export function TicketFields({
  ticket,
  users,
  canWrite,
  canAssign,
  saving,
  onSave,
  assigneeChoices,
  queueSuggestions = [],
  tagSuggestions = [],
}: TicketFieldsProps) {
  const choices =
    assigneeChoices ??
    users
      .filter((u) => u.active && u.role !== 'viewer')
      .map((u) => ({ id: u.id, name: u.name, detail: u.availability, allowed: true }));
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
            <CommitSelect
              id="ticket-status"
              value={ticket.status}
              disabled={saving}
              onCommit={(v) => onSave({ status: v as TicketStatus })}
            >
              {TICKET_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </CommitSelect>
          ) : (
            <StatusBadge status={ticket.status} />
          )}
        </dd>
        <dt>
          <label for="ticket-priority">Priority</label>
        </dt>
        <dd>
          {canWrite ? (
            <CommitSelect
              id="ticket-priority"
              value={ticket.priority}
              disabled={saving}
              onCommit={(v) => onSave({ priority: v as TicketPriority })}
            >
              {TICKET_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_LABELS[p]}
                </option>
              ))}
            </CommitSelect>
          ) : (
            <PriorityBadge priority={ticket.priority} />
          )}
        </dd>
        <dt>
          <label for="ticket-assignee">Assignee</label>
        </dt>
        <dd>
          {canAssign ? (
            <AssigneePicker
              id="ticket-assignee"
              value={ticket.assignee_id}
              choices={choices}
              disabled={saving}
              onChoose={(assignee_id) => onSave({ assignee_id })}
            />
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
            suggestions={queueSuggestions}
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
            suggestions={tagSuggestions}
            list
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
  suggestions?: string[];
  /** A list of values: suggestions complete the last one. */
  list?: boolean;
  onSave: (value: string) => void;
}

/** A text property saved when the field is left or Enter is pressed, if it changed. */
function TextProp({ id, value, editable, disabled, hint, suggestions = [], list = false, onSave }: TextPropProps) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  if (!editable) return <span id={id}>{value || '—'}</span>;
  // For a list, each suggestion is offered as the whole text with it appended, so picking one keeps the rest.
  const head = list && text.includes(',') ? text.slice(0, text.lastIndexOf(',') + 1) + ' ' : '';
  const taken = new Set(text.split(',').map((t) => t.trim()));
  const offered = list ? suggestions.filter((s) => !taken.has(s)).map((s) => head + s) : suggestions;
  return (
    <>
      <input
        id={id}
        value={text}
        disabled={disabled}
        placeholder={hint}
        list={offered.length ? `${id}-suggestions` : undefined}
        autoComplete="off"
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={() => text.trim() !== value && onSave(text.trim())}
      />
      {offered.length > 0 && (
        <datalist id={`${id}-suggestions`}>
          {offered.map((option) => (
            <option key={option} value={option} />
          ))}
        </datalist>
      )}
    </>
  );
}
