import { CommitSelect } from '@/components/commit-select';
import type { AgentLoad, User } from '@/types/api';
import type { Queue } from '@/lib/desk-api';

const AVAILABILITY_ORDER = { online: 0, away: 1, offline: 2 } as const;
const AVAILABILITY_WORDS = { online: 'online', away: 'away', offline: 'offline' } as const;

export interface AssigneeChoice {
  id: string;
  name: string;
  /** "online · load 12 of 20", what the option reads after the name. */
  detail: string;
  /** Whether the ticket's queue lets this person work it. */
  allowed: boolean;
}

/**
 * The people a ticket can go to, best first: those who may work its queue, then available before
 * away before offline, then the most room (capacity minus weighted load).
 */
export function assigneeChoices(
  users: User[],
  loads: AgentLoad[] | undefined,
  queue: Queue | undefined,
): AssigneeChoice[] {
  const loadOf = new Map((loads ?? []).map((l) => [l.user_id, l]));
  const members = queue?.member_ids.length ? new Set(queue.member_ids) : null;
  const room = (load: AgentLoad | undefined) => (load && load.capacity ? load.capacity - load.load : -Infinity);
  return users
    .filter((u) => u.active && u.role !== 'viewer')
    .map((user) => {
      const load = loadOf.get(user.id);
      const availability = load?.availability ?? user.availability;
      const parts: string[] = [AVAILABILITY_WORDS[availability]];
      if (load) parts.push(load.capacity ? `load ${load.load} of ${load.capacity}` : `load ${load.load}`);
      const allowed = !members || members.has(user.id);
      if (!allowed) parts.push(`not in ${queue?.name}`);
      return { user, load, availability, choice: { id: user.id, name: user.name, detail: parts.join(' · '), allowed } };
    })
    .sort(
      (a, b) =>
        Number(b.choice.allowed) - Number(a.choice.allowed) ||
        AVAILABILITY_ORDER[a.availability] - AVAILABILITY_ORDER[b.availability] ||
        room(b.load) - room(a.load) ||
        a.user.name.localeCompare(b.user.name),
    )
    .map((entry) => entry.choice);
}

interface AssigneePickerProps {
  id: string;
  value: string | null;
  choices: AssigneeChoice[];
  disabled?: boolean;
  describedBy?: string;
  onChoose: (userId: string | null) => void;
}

/** A select of people with their availability and room; the current assignee stays listed. */
export function AssigneePicker({ id, value, choices, disabled, describedBy, onChoose }: AssigneePickerProps) {
  return (
    <CommitSelect
      id={id}
      value={value ?? ''}
      disabled={disabled}
      aria-describedby={describedBy}
      onCommit={(v) => onChoose(v || null)}
    >
      <option value="">Unassigned</option>
      {choices.map((choice) => (
        <option key={choice.id} value={choice.id} disabled={!choice.allowed && choice.id !== value}>
          {choice.name} — {choice.detail}
        </option>
      ))}
    </CommitSelect>
  );
}
