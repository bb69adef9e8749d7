import { useState } from 'preact/hooks';
import { type AssigneeChoice } from '@/components/assignee-picker';
import { ErrorMessage } from '@/components/status';
import { type BulkChanges, type BulkResult, bulkUpdate, MAX_BULK } from '@/lib/desk-api';
import { PRIORITY_LABELS, STATUS_LABELS } from '@/lib/format';
import { TICKET_PRIORITIES, TICKET_STATUSES, type Ticket, type TicketPriority, type TicketStatus } from '@/types/api';

interface BulkBarProps {
  tickets: Ticket[];
  assignees: AssigneeChoice[];
  queueSuggestions: string[];
  tagSuggestions: string[];
  onClear: () => void;
  onDone: (result: BulkResult) => void;
}

const KEEP = '';
const NOBODY = '__nobody__';

function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/** The numbers of the tickets an outcome applies to, as a short list: "#12, #15 and #18". */
function numbersOf(result: BulkResult, tickets: Ticket[], outcome: string): string {
  const numberOf = new Map(tickets.map((t) => [t.id, t.number]));
  const numbers = result.results.filter((r) => r.outcome === outcome).map((r) => `#${numberOf.get(r.id) ?? '?'}`);
  return numbers.length > 1 ? `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}` : numbers[0];
}

/** What a bulk change did, in one sentence per outcome. */
export function describeBulkResult(result: BulkResult, tickets: Ticket[]): string[] {
  const lines: string[] = [];
  const count = (n: number) => `${n} ticket${n === 1 ? '' : 's'}`;
  if (result.applied) lines.push(`${count(result.applied)} changed.`);
  if (result.unchanged) lines.push(`${count(result.unchanged)} already had these values.`);
  if (result.conflicts) {
    lines.push(
      `${numbersOf(result, tickets, 'conflict')} changed since you loaded the list; review ${
        result.conflicts === 1 ? 'it' : 'them'
      } and try again.`,
    );
  }
  for (const outcome of result.results.filter((r) => r.outcome === 'error')) {
    const number = tickets.find((t) => t.id === outcome.id)?.number;
    lines.push(`#${number ?? '?'} was not changed: ${outcome.detail ?? outcome.error}`);
  }
  return lines;
}

/** Set status, priority, assignee, queue or tags on the selected tickets, each with its own version check. */
export function BulkBar({ tickets, assignees, queueSuggestions, tagSuggestions, onClear, onDone }: BulkBarProps) {
  const [status, setStatus] = useState(KEEP);
  const [priority, setPriority] = useState(KEEP);
  const [assignee, setAssignee] = useState(KEEP);
  const [queue, setQueue] = useState('');
  const [tagsAdd, setTagsAdd] = useState('');
  const [tagsRemove, setTagsRemove] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const changes: BulkChanges = {};
  if (status) changes.status = status as TicketStatus;
  if (priority) changes.priority = priority as TicketPriority;
  if (assignee) changes.assignee_id = assignee === NOBODY ? null : assignee;
  if (queue.trim()) changes.queue = queue.trim();
  // each ticket keeps its own other tags: tags are added and removed, never replaced for all
  if (tagsAdd.trim()) changes.tags_add = parseTags(tagsAdd);
  if (tagsRemove.trim()) changes.tags_remove = parseTags(tagsRemove);
  const nothing = Object.keys(changes).length === 0;
  const tooMany = tickets.length > MAX_BULK;

  const apply = async (e: Event) => {
    e.preventDefault();
    if (nothing || tooMany || busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await bulkUpdate(tickets, changes);
      onDone(result);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="bulk-bar" aria-label="Change the selected tickets" onSubmit={(e) => void apply(e)}>
      <p class="bulk-bar__count">
        <strong>{tickets.length}</strong> selected
        <button type="button" class="button button--quiet" onClick={onClear}>
          Clear selection
        </button>
      </p>
      <div class="bulk-bar__fields">
        <label>
          Status
          <select name="bulk-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value={KEEP}>Keep</option>
            {TICKET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select name="bulk-priority" value={priority} onChange={(e) => setPriority(e.currentTarget.value)}>
            <option value={KEEP}>Keep</option>
            {TICKET_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Assignee
          <select name="bulk-assignee" value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)}>
            <option value={KEEP}>Keep</option>
            <option value={NOBODY}>Unassigned</option>
            {assignees.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} — {a.detail}
              </option>
            ))}
          </select>
        </label>
        <label>
          Queue
          <input
            name="bulk-queue"
            value={queue}
            list="bulk-queue-suggestions"
            autoComplete="off"
            placeholder="Keep"
            onInput={(e) => setQueue(e.currentTarget.value)}
          />
          <datalist id="bulk-queue-suggestions">
            {queueSuggestions.map((q) => (
              <option key={q} value={q} />
            ))}
          </datalist>
        </label>
        <label>
          Add tags
          <input
            name="bulk-tags-add"
            value={tagsAdd}
            list="bulk-tag-suggestions"
            autoComplete="off"
            placeholder="none"
            onInput={(e) => setTagsAdd(e.currentTarget.value)}
          />
        </label>
        <label>
          Remove tags
          <input
            name="bulk-tags-remove"
            value={tagsRemove}
            list="bulk-tag-suggestions"
            autoComplete="off"
            placeholder="none"
            onInput={(e) => setTagsRemove(e.currentTarget.value)}
          />
        </label>
        <datalist id="bulk-tag-suggestions">
          {tagSuggestions.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <button type="submit" class="button button--primary" disabled={nothing || tooMany || busy}>
          {busy ? 'Applying…' : `Apply to ${tickets.length}`}
        </button>
      </div>
      {tooMany && (
        <p class="field__error">
          At most {MAX_BULK} tickets change at once; clear some of the {tickets.length} selected.
        </p>
      )}
      {error !== null && <ErrorMessage error={error} />}
    </form>
  );
}
