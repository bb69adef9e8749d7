import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useEffect, useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { Empty, ErrorMessage, Loading } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import { useQueues } from '@/lib/desk-api';
import { PRIORITY_LABELS } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import { TICKET_PRIORITIES, type AgentLoad, type TicketPriority } from '@/types/api';
import {
  type RoutingSettings,
  routingKey,
  saveAgentRouting,
  saveRoutingSettings,
  useRoutingSettings,
  useTeamLoad,
} from '../api/routing';

const URGENT_FIRST: TicketPriority[] = [...TICKET_PRIORITIES].reverse();

/** The router's rule, in words (domain/assignment.py: why_not and choose_agent). */
export const ROUTER_RULE =
  'A new ticket in a queue that assigns automatically goes to an online agent who covers the queue (no skills listed means every queue), is a member of it when the queue has members, and has room: their load plus the ticket’s weight must stay within their capacity. Of those, the lowest load wins; a tie goes to whoever was given a ticket longest ago.';

/** "2×3 urgent + 1×4 normal = 10": how an agent's load is made from their open tickets. */
export function loadSum(openByPriority: Record<string, number | undefined>, weights: Record<string, number>): string {
  const parts = URGENT_FIRST.filter((p) => (openByPriority[p] ?? 0) > 0).map(
    (p) => `${weights[p] ?? 1}×${openByPriority[p]} ${PRIORITY_LABELS[p].toLowerCase()}`,
  );
  const total = URGENT_FIRST.reduce((sum, p) => sum + (weights[p] ?? 1) * (openByPriority[p] ?? 0), 0);
  return parts.length ? `${parts.join(' + ')} = ${total}` : 'no open tickets = 0';
}

function AgentRow({ agent, weights }: { agent: AgentLoad; weights: Record<string, number> }) {
  const queryClient = useQueryClient();
  const [capacity, setCapacity] = useState(String(agent.capacity));
  const [skills, setSkills] = useState(agent.skills.join(', '));
  const save = useMutation({
    mutationFn: () =>
      saveAgentRouting(agent.user_id, {
        capacity: Number(capacity),
        skills: skills
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.agentLoad }),
  });
  const errors = isApiError(save.error) ? errorsByField(save.error.fieldErrors) : {};
  const room = agent.capacity - agent.load;
  const explainId = `load-${agent.user_id}`;
  return (
    <tr>
      <th scope="row">
        {agent.name}
        <span class="cell__sub">
          <span class={`availability availability--${agent.availability}`}>{agent.availability}</span>
        </span>
      </th>
      <td data-label="Load / capacity">
        <span class="load__text" aria-describedby={explainId}>
          {agent.load} / {agent.capacity}
        </span>
        <span class="cell__sub" id={explainId}>
          {loadSum(agent.open_by_priority, weights)}
          {'; '}
          {room > 0 ? `room for ${room} more` : 'full: automatic assignment skips them'}
        </span>
      </td>
      <td data-label="Capacity">
        <Field label={`Capacity of ${agent.name}`} hideLabel error={errors.capacity}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="number"
              min={0}
              max={500}
              class="input--narrow"
              value={capacity}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onInput={(e) => setCapacity(e.currentTarget.value)}
            />
          )}
        </Field>
      </td>
      <td data-label="Skills (queues)">
        <Field label={`Skills of ${agent.name}`} hideLabel error={errors.skills}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              value={skills}
              placeholder="every queue"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onInput={(e) => setSkills(e.currentTarget.value)}
            />
          )}
        </Field>
      </td>
      <td>
        <button type="button" class="button button--small" disabled={save.isPending} onClick={() => save.mutate()}>
          {save.isSuccess && !save.isPending ? 'Saved' : 'Save'} <span class="visually-hidden">{agent.name}</span>
        </button>
        {save.isError && !Object.keys(errors).length && <ErrorMessage error={save.error} />}
      </td>
    </tr>
  );
}

function TeamRouting({ weights }: { weights: Record<string, number> }) {
  const team = useTeamLoad();
  if (team.isPending) return <Loading label="Loading the team…" />;
  if (team.isError) return <ErrorMessage error={team.error} onRetry={() => void team.refetch()} />;
  if (team.data.items.length === 0)
    return (
      <Empty title="No agents yet">
        <p>
          <a href="/team">Invite agents and leads</a>: the router gives tickets only to them.
        </p>
      </Empty>
    );
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Capacity and skills per agent">
      <table class="data-table data-table--stack routing-table">
        <caption class="visually-hidden">Capacity and skills per agent</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Weighted load / capacity</th>
            <th scope="col">Capacity</th>
            <th scope="col">Skills (queues)</th>
            <th scope="col">
              <span class="visually-hidden">Save</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {team.data.items.map((agent) => (
            <AgentRow
              key={`${agent.user_id}:${agent.capacity}:${agent.skills.join()}`}
              agent={agent}
              weights={weights}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SettingsForm({ saved }: { saved: RoutingSettings }) {
  const queryClient = useQueryClient();
  const queues = useQueues();
  const [draft, setDraft] = useState(saved);
  useEffect(() => setDraft(saved), [saved]);
  const save = useMutation({
    mutationFn: () => saveRoutingSettings(draft),
    onSuccess: (next) => queryClient.setQueryData(routingKey, next),
  });
  const errors = isApiError(save.error) ? errorsByField(save.error.fieldErrors) : {};
  const queueNames = [
    ...new Set([...(queues.data?.items ?? []).map((q) => q.name), ...Object.keys(draft.auto_assign_queues)]),
  ].sort();
  const setQueue = (name: string, on: boolean) =>
    setDraft({ ...draft, auto_assign_queues: { ...draft.auto_assign_queues, [name]: on } });
  return (
    <form
      class="form panel stack"
      aria-labelledby="routing-rules-heading"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2 id="routing-rules-heading" class="panel__title">
        Automatic assignment
      </h2>
      {save.isError && !Object.keys(errors).length && <ErrorMessage error={save.error} />}
      <fieldset>
        <legend>Which queues assign automatically</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={draft.auto_assign_default}
            onChange={(e) => setDraft({ ...draft, auto_assign_default: e.currentTarget.checked })}
          />
          Any queue not listed below
        </label>
        {queueNames.map((name) => (
          <label class="check" key={name}>
            <input
              type="checkbox"
              checked={draft.auto_assign_queues[name] ?? draft.auto_assign_default}
              onChange={(e) => setQueue(name, e.currentTarget.checked)}
            />
            {name}
          </label>
        ))}
        {queueNames.length === 0 && (
          <p class="field__hint">
            No queues defined yet: <a href="/settings/queues">define queues</a> to choose per queue.
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>Weights: how much an open ticket of each priority counts towards an agent’s load</legend>
        <div class="routing-weights">
          {URGENT_FIRST.map((priority) => (
            <Field key={priority} label={PRIORITY_LABELS[priority]} error={errors[priority]}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  type="number"
                  min={1}
                  max={10}
                  class="input--narrow"
                  value={draft.weights[priority] ?? 1}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  onInput={(e) =>
                    setDraft({ ...draft, weights: { ...draft.weights, [priority]: Number(e.currentTarget.value) } })
                  }
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>When an agent goes away or offline</legend>
        <div class="routing-choices">
          <label class="check">
            <input
              type="radio"
              name="on_unavailable"
              checked={draft.on_unavailable === 'keep'}
              onChange={() => setDraft({ ...draft, on_unavailable: 'keep' })}
            />
            They keep their open tickets
          </label>
          <label class="check">
            <input
              type="radio"
              name="on_unavailable"
              checked={draft.on_unavailable === 'return'}
              onChange={() => setDraft({ ...draft, on_unavailable: 'return' })}
            />
            Their open tickets go back to the queue
          </label>
        </div>
      </fieldset>
      <div>
        <button type="submit" class="button button--primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save routing'}
        </button>
        {save.isSuccess && !save.isPending && (
          <span role="status" class="muted">
            {' '}
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}

/** Routing settings: the router's rules, and each agent's capacity and skills beside their load. */
export function RoutingSettingsPanel() {
  const settings = useRoutingSettings();
  if (settings.isPending) return <Loading />;
  if (settings.isError) return <ErrorMessage error={settings.error} onRetry={() => void settings.refetch()} />;
  return (
    <div class="stack">
      <p class="muted" id="router-rule">
        {ROUTER_RULE}
      </p>
      <SettingsForm saved={settings.data} />
      <section class="stack" aria-labelledby="routing-team-heading">
        <h2 id="routing-team-heading">Capacity and skills</h2>
        <p class="muted">
          Load weighs each open ticket by the weights above, so it can be more than the number of open tickets. Skills
          are the queues an agent covers, separated by commas.
        </p>
        <TeamRouting weights={settings.data.weights} />
      </section>
    </div>
  );
}
