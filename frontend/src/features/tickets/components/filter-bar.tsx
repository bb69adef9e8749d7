import { InlineField } from '@/components/field';
import { useEffect, useState } from 'preact/hooks';
import { PRIORITY_LABELS, STATUS_LABELS } from '@/lib/format';
import { activeFilterCount, EMPTY_FILTERS, type TicketFilters, type TicketSort } from '@/lib/ticket-filters';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus, type User } from '@/types/api';

interface FilterBarProps {
  filters: TicketFilters;
  users: User[];
  onChange: (filters: TicketFilters) => void;
  queueSuggestions?: string[];
  tagSuggestions?: { tag: string; tickets: number }[];
}

const SORT_LABELS: Record<TicketSort, string> = {
  '-updated_at': 'Recently updated',
  '-created_at': 'Newest first',
  created_at: 'Oldest first',
  priority: 'Priority',
  sla_due_at: 'SLA due soonest',
};

/** Quick SLA filters: the deadline before now plus this many minutes (0: already breached). */
const SLA_WINDOWS: [string, number][] = [
  ['Breached', 0],
  ['Due within 1 hour', 60],
  ['Due within 4 hours', 240],
  ['Due within a day', 1440],
];

type TextKey = 'queue' | 'tag' | 'requester';
type DateKey = 'created_after' | 'created_before' | 'updated_after' | 'updated_before' | 'sla_due_before';

/** Every filter the ticket API has; each change becomes a new URL (so Back undoes it). */
export function FilterBar({ filters, users, onChange, queueSuggestions = [], tagSuggestions = [] }: FilterBarProps) {
  const set = (patch: Partial<TicketFilters>) => onChange({ ...filters, ...patch });
  const moreCount = (
    [
      'queue',
      'tag',
      'requester',
      'created_after',
      'created_before',
      'updated_after',
      'updated_before',
      'sla_due_before',
    ] as const
  ).filter((key) => filters[key]).length;

  return (
    <section class="filter-bar" aria-label="Filters">
      <SearchBox value={filters.q ?? ''} onSearch={(q) => set({ q: q || undefined })} />
      <div class="filter-bar__row">
        <StatusPicker selected={filters.status} onChange={(status) => set({ status })} />
        <InlineField label="Priority">
          {(id) => (
            <select
              id={id}
              value={filters.priority ?? ''}
              onChange={(e) => set({ priority: (e.currentTarget.value || undefined) as TicketPriority | undefined })}
            >
              <option value="">Any</option>
              {TICKET_PRIORITIES.map((p) => (
                <option value={p} key={p}>
                  {PRIORITY_LABELS[p]}
                </option>
              ))}
            </select>
          )}
        </InlineField>
        <InlineField label="Assignee">
          {(id) => (
            <select
              id={id}
              value={filters.assignee ?? ''}
              onChange={(e) => set({ assignee: e.currentTarget.value || undefined })}
            >
              <option value="">Anyone</option>
              <option value="me">Me</option>
              <option value="unassigned">Unassigned</option>
              {users.map((user) => (
                <option value={user.id} key={user.id}>
                  {user.name}
                </option>
              ))}
              {filters.assignee &&
                !['me', 'unassigned'].includes(filters.assignee) &&
                !users.some((u) => u.id === filters.assignee) && (
                  <option value={filters.assignee}>{filters.assignee}</option>
                )}
            </select>
          )}
        </InlineField>
        <InlineField label="SLA">
          {(id) => (
            <select
              id={id}
              value=""
              onChange={(e) => {
                const minutes = e.currentTarget.value;
                if (minutes === '') return;
                set({ sla_due_before: new Date(Date.now() + Number(minutes) * 60_000).toISOString() });
              }}
            >
              <option value="">
                {filters.sla_due_before ? `Due before ${slaWhen(filters.sla_due_before)}` : 'Any'}
              </option>
              {SLA_WINDOWS.map(([label, minutes]) => (
                <option value={minutes} key={label}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </InlineField>
        <InlineField label="Sort">
          {(id) => (
            <select id={id} value={filters.sort} onChange={(e) => set({ sort: e.currentTarget.value as TicketSort })}>
              {(Object.keys(SORT_LABELS) as TicketSort[]).map((sort) => (
                <option value={sort} key={sort}>
                  {SORT_LABELS[sort]}
                </option>
              ))}
            </select>
          )}
        </InlineField>
        {activeFilterCount(filters) > 0 && (
          <button
            type="button"
            class="button button--quiet"
            onClick={() => onChange({ ...EMPTY_FILTERS, sort: filters.sort })}
          >
            Clear filters
          </button>
        )}
      </div>
      <details class="filter-bar__more" open={moreCount > 0}>
        <summary>More filters{moreCount > 0 ? ` (${moreCount})` : ''}</summary>
        <div class="filter-bar__grid">
          {(['queue', 'tag', 'requester'] as TextKey[]).map((key) => (
            <TextFilter
              key={key}
              name={key}
              label={key === 'requester' ? 'Requester email' : key === 'tag' ? 'Tag' : 'Queue'}
              value={filters[key] ?? ''}
              suggestions={
                key === 'queue'
                  ? queueSuggestions.map((q) => ({ value: q, label: q }))
                  : key === 'tag'
                    ? tagSuggestions.map((t) => ({ value: t.tag, label: `${t.tag} (${t.tickets})` }))
                    : []
              }
              hint={
                key !== 'tag'
                  ? undefined
                  : tagSuggestions.length === 0
                    ? 'No tags yet: tag a ticket on its page, or several at once by selecting them in the list.'
                    : filters.tag && !tagSuggestions.some((t) => t.tag === filters.tag)
                      ? `No ticket carries the tag “${filters.tag}” now.`
                      : undefined
              }
              onApply={(v) => set({ [key]: v || undefined })}
            />
          ))}
          {(
            [
              ['created_after', 'Created after'],
              ['created_before', 'Created before'],
              ['updated_after', 'Updated after'],
              ['updated_before', 'Updated before'],
              ['sla_due_before', 'SLA due before'],
            ] as [DateKey, string][]
          ).map(([key, label]) => (
            <InlineField key={key} label={label}>
              {(id) => (
                <input
                  id={id}
                  type="date"
                  name={key}
                  value={filters[key]?.slice(0, 10) ?? ''}
                  onChange={(e) => set({ [key]: e.currentTarget.value || undefined })}
                />
              )}
            </InlineField>
          ))}
        </div>
      </details>
    </section>
  );
}

function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <form
      class="search-box"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim());
      }}
    >
      <label for="ticket-search" class="visually-hidden">
        Search tickets
      </label>
      <input
        id="ticket-search"
        type="search"
        placeholder="Search subject, description, comments…"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        aria-keyshortcuts="/"
      />
      <button type="submit" class="button">
        Search
      </button>
    </form>
  );
}

function TextFilter({
  name,
  label,
  value,
  suggestions,
  hint,
  onApply,
}: {
  name: string;
  label: string;
  value: string;
  suggestions: { value: string; label: string }[];
  hint?: string;
  onApply: (v: string) => void;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <InlineField label={label}>
      {(id) => (
        <>
          <input
            id={id}
            name={name}
            type={name === 'requester' ? 'email' : 'text'}
            value={text}
            list={suggestions.length ? `${id}-suggestions` : undefined}
            autoComplete="off"
            aria-describedby={hint ? `${id}-hint` : undefined}
            onInput={(e) => setText(e.currentTarget.value)}
            onChange={() => text.trim() !== value && onApply(text.trim())}
          />
          {suggestions.length > 0 && (
            <datalist id={`${id}-suggestions`}>
              {suggestions.map((s) => (
                <option key={s.value} value={s.value} label={s.label} />
              ))}
            </datalist>
          )}
          {hint && (
            <p class="field__hint" id={`${id}-hint`}>
              {hint}
            </p>
          )}
        </>
      )}
    </InlineField>
  );
}

function slaWhen(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

function StatusPicker({ selected, onChange }: { selected: TicketStatus[]; onChange: (s: TicketStatus[]) => void }) {
  const toggle = (status: TicketStatus, on: boolean) =>
    onChange(on ? [...selected, status] : selected.filter((s) => s !== status));
  const summary = selected.length === 0 ? 'Any' : selected.map((s) => STATUS_LABELS[s]).join(', ');
  return (
    <details class="status-picker">
      <summary>
        Status: <span class="status-picker__summary">{summary}</span>
      </summary>
      <fieldset>
        <legend class="visually-hidden">Status</legend>
        {TICKET_STATUSES.map((status) => (
          <label class="check" key={status}>
            <input
              type="checkbox"
              name="status"
              value={status}
              checked={selected.includes(status)}
              onChange={(e) => toggle(status, e.currentTarget.checked)}
            />
            {STATUS_LABELS[status]}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
