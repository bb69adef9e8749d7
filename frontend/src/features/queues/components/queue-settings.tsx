import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { Empty, ErrorMessage, Loading } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import { deskKeys, type Queue, useQueues } from '@/lib/desk-api';
import { useUsers } from '@/lib/users';
import type { User } from '@/types/api';
import { createQueue, deleteQueue, updateQueue } from '../api/queues';

function MemberPicker({
  legend,
  agents,
  selected,
  onChange,
  error,
}: {
  legend: string;
  agents: User[];
  selected: string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  return (
    <fieldset class="member-picker" aria-describedby={error ? `${legend}-error` : undefined}>
      <legend>{legend}</legend>
      <p class="field__hint">Leave everyone unticked to let every agent work it.</p>
      {agents.map((agent) => (
        <label class="check" key={agent.id}>
          <input
            type="checkbox"
            checked={selected.includes(agent.id)}
            onChange={(e) =>
              onChange(e.currentTarget.checked ? [...selected, agent.id] : selected.filter((id) => id !== agent.id))
            }
          />
          {agent.name}
        </label>
      ))}
      {error && (
        <p class="field__error" id={`${legend}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

function NewQueueForm({ agents }: { agents: User[] }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: createQueue,
    onSuccess: () => {
      setName('');
      setDescription('');
      setMembers([]);
      void queryClient.invalidateQueries({ queryKey: deskKeys.queues });
    },
  });
  const errors = isApiError(create.error) ? errorsByField(create.error.fieldErrors) : {};
  return (
    <form
      class="form panel"
      aria-labelledby="new-queue-heading"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name: name.trim().toLowerCase(), description: description.trim(), member_ids: members });
      }}
    >
      <h2 id="new-queue-heading" class="panel__title">
        Add a queue
      </h2>
      {create.isError && !Object.keys(errors).length && <ErrorMessage error={create.error} />}
      <Field label="Name" hint="Lower-case letters, digits, - and _; tickets carry this name." error={errors.name}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            required
            value={name}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Description" error={errors.description}>
        {({ id, describedBy }) => (
          <input
            id={id}
            value={description}
            aria-describedby={describedBy}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        )}
      </Field>
      <MemberPicker
        legend="Who may work it"
        agents={agents}
        selected={members}
        onChange={setMembers}
        error={errors.member_ids}
      />
      <button type="submit" class="button button--primary" disabled={create.isPending}>
        {create.isPending ? 'Adding…' : 'Add queue'}
      </button>
    </form>
  );
}

function QueueRow({ queue, agents, nameOf }: { queue: Queue; agents: User[]; nameOf: (id: string) => string }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [description, setDescription] = useState(queue.description);
  const [members, setMembers] = useState<string[]>(queue.member_ids);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: deskKeys.queues });
  const save = useMutation({
    mutationFn: () => updateQueue(queue.name, { description, member_ids: members }),
    onSuccess: () => {
      setEditing(false);
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: () => deleteQueue(queue.name), onSuccess: refresh });
  const errors = isApiError(save.error) ? errorsByField(save.error.fieldErrors) : {};
  return (
    <li class="queue-item panel">
      <h3 class="queue-item__name">{queue.name}</h3>
      {editing ? (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Field label={`Description of ${queue.name}`} error={errors.description}>
            {({ id, describedBy }) => (
              <input
                id={id}
                value={description}
                aria-describedby={describedBy}
                onInput={(e) => setDescription(e.currentTarget.value)}
              />
            )}
          </Field>
          <MemberPicker
            legend={`Who may work ${queue.name}`}
            agents={agents}
            selected={members}
            onChange={setMembers}
            error={errors.member_ids}
          />
          {save.isError && !Object.keys(errors).length && <ErrorMessage error={save.error} />}
          <div class="form__actions">
            <button type="submit" class="button button--primary" disabled={save.isPending}>
              Save
            </button>
            <button type="button" class="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>{queue.description || <span class="muted">No description.</span>}</p>
          <p class="muted small">
            {queue.member_ids.length
              ? `Worked by ${queue.member_ids.map(nameOf).join(', ')}`
              : 'Every agent may work it.'}
          </p>
          <div class="form__actions">
            <button type="button" class="button" onClick={() => setEditing(true)}>
              Edit {queue.name}
            </button>
            <button
              type="button"
              class="button button--quiet"
              disabled={remove.isPending}
              onClick={() => {
                if (confirm(`Forget the queue “${queue.name}”? Its tickets keep the name.`)) remove.mutate();
              }}
            >
              Delete {queue.name}
            </button>
          </div>
          {remove.isError && <ErrorMessage error={remove.error} />}
        </>
      )}
    </li>
  );
}

/** Admins define queues: name, description, and who may work them. */
export function QueueSettings() {
  const queues = useQueues();
  const users = useUsers();
  const agents = (users.data?.items ?? []).filter((u) => u.active && u.role !== 'viewer');
  const nameOf = (id: string) => users.data?.items.find((u) => u.id === id)?.name ?? 'someone who left';
  if (queues.isPending) return <Loading label="Loading queues…" />;
  if (queues.isError) return <ErrorMessage error={queues.error} onRetry={() => void queues.refetch()} />;
  return (
    <div class="queue-settings stack">
      {queues.data.items.length === 0 ? (
        <Empty title="No queues defined yet.">
          <p>
            Tickets already name a queue (support by default). Add one with the form below to describe it and choose who
            works it; then choose on <a href="/settings/routing">Routing</a> whether it assigns automatically.
          </p>
        </Empty>
      ) : (
        <ul class="queue-list stack">
          {queues.data.items.map((queue) => (
            <QueueRow key={`${queue.name}-${queue.version}`} queue={queue} agents={agents} nameOf={nameOf} />
          ))}
        </ul>
      )}
      <NewQueueForm agents={agents} />
    </div>
  );
}
