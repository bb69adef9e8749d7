import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { ErrorMessage, errorMessage, Loading } from '@/components/status';
import { queryKeys } from '@/lib/query-keys';
import {
  createSlaPolicy,
  deleteSlaPolicy,
  describeMinutes,
  moved,
  PRIORITIES,
  reorderSlaPolicies,
  updateSlaPolicy,
  useSlaPolicies,
  type SlaPolicy,
  type SlaPolicyInput,
  type SlaPolicyList,
} from '../api/sla';
import { PolicyForm } from './policy-form';

function appliesTo(policy: SlaPolicy): string {
  if (policy.builtin) return 'Every ticket no policy above holds';
  const parts = [policy.queue && `queue ${policy.queue}`, policy.tag && `tag ${policy.tag}`].filter(Boolean);
  return parts.length ? `Tickets with ${parts.join(' and ')}` : 'Every ticket';
}

function targetsSummary(policy: SlaPolicy): string {
  return PRIORITIES.filter((p) => policy.targets[p])
    .map((p) => {
      const t = policy.targets[p]!;
      const parts = [
        t.first_response_minutes !== null && `first response ${describeMinutes(t.first_response_minutes)}`,
        t.next_reply_minutes !== null && `next reply ${describeMinutes(t.next_reply_minutes)}`,
        t.resolution_minutes !== null && `resolution ${describeMinutes(t.resolution_minutes)}`,
      ].filter(Boolean);
      return `${p}: ${parts.join(', ')}`;
    })
    .join('; ');
}

/** The policies in the order they are tried, with moving, editing and deleting; then adding one. */
export function SlaPolicies() {
  const policies = useSlaPolicies();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.slaPolicies, exact: true });

  const create = useMutation({
    mutationFn: createSlaPolicy,
    onSuccess: (policy) => {
      setFormKey((key) => key + 1);
      setNotice(`Policy “${policy.name}” added. Open tickets are re-planned in the background.`);
      void refresh();
    },
  });
  const update = useMutation({
    mutationFn: ({ id, input }: { id: string; input: SlaPolicyInput }) => updateSlaPolicy(id, input),
    onSuccess: (policy) => {
      setEditing(null);
      setNotice(`Policy “${policy.name}” saved. Open tickets are re-planned in the background.`);
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: deleteSlaPolicy,
    onSuccess: () => {
      setConfirming(null);
      setNotice('Policy deleted. Its tickets fall to the next matching policy.');
      void refresh();
    },
  });
  const reorder = useMutation({
    mutationFn: reorderSlaPolicies,
    onSuccess: (list: SlaPolicyList) => {
      queryClient.setQueryData(queryKeys.slaPolicies, list);
      setNotice('Order saved.');
    },
  });

  if (policies.isPending) return <Loading label="Loading SLA policies…" />;
  if (policies.isError) return <ErrorMessage error={policies.error} onRetry={() => void policies.refetch()} />;
  const { items, default: fallback } = policies.data;
  const ids = items.map((p) => p.id);
  const failed = remove.error ?? reorder.error;

  return (
    <div class="stack">
      <p class="muted">
        Tried from the top: the first policy whose queue and tag match, and that sets targets for the ticket's priority,
        holds it.
      </p>
      {notice && (
        <p class="notice notice--success" role="status">
          {notice}
        </p>
      )}
      {failed && (
        <p class="form__error" role="alert">
          {errorMessage(failed)}
        </p>
      )}
      <div class="table-scroll" tabIndex={0} role="region" aria-label="SLA policies">
        <table class="data-table sla-policies">
          <caption class="visually-hidden">SLA policies, in the order they are tried</caption>
          <thead>
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">Applies to</th>
              <th scope="col">Time</th>
              <th scope="col">Targets</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {[...items, fallback].map((policy) => (
              <tr key={policy.id}>
                <th scope="row">
                  {policy.position !== null ? `${policy.position + 1}. ` : ''}
                  {policy.name}
                  {policy.builtin && <span class="cell__sub muted"> Built in</span>}
                </th>
                <td>{appliesTo(policy)}</td>
                <td>{policy.business_hours ? 'Business hours' : 'Calendar time'}</td>
                <td class="small">{targetsSummary(policy)}</td>
                <td class="cell--nowrap">
                  {!policy.builtin && (
                    <PolicyActions
                      policy={policy}
                      first={policy.position === 0}
                      last={policy.position === items.length - 1}
                      busy={reorder.isPending || remove.isPending}
                      confirming={confirming === policy.id}
                      onMove={(by) => {
                        setNotice(null);
                        reorder.mutate(moved(ids, policy.id, by));
                      }}
                      onEdit={() => {
                        update.reset();
                        setNotice(null);
                        setEditing(policy.id);
                      }}
                      onDelete={() => (confirming === policy.id ? remove.mutate(policy.id) : setConfirming(policy.id))}
                      onKeep={() => setConfirming(null)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {editing && items.some((p) => p.id === editing) && (
        <section class="panel" aria-labelledby="edit-policy-heading">
          <h3 id="edit-policy-heading" class="panel__title">
            Edit “{items.find((p) => p.id === editing)!.name}”
          </h3>
          <PolicyForm
            key={editing}
            policy={items.find((p) => p.id === editing)}
            submitLabel="Save policy"
            pending={update.isPending}
            error={update.error}
            onSubmit={(input) => update.mutate({ id: editing, input })}
            onCancel={() => setEditing(null)}
          />
        </section>
      )}

      <section class="panel" aria-labelledby="add-policy-heading">
        <h3 id="add-policy-heading" class="panel__title">
          Add a policy
        </h3>
        <PolicyForm
          key={formKey}
          submitLabel="Add policy"
          pending={create.isPending}
          error={create.error}
          onSubmit={(input) => {
            setNotice(null);
            create.mutate(input);
          }}
        />
      </section>
    </div>
  );
}

interface PolicyActionsProps {
  policy: SlaPolicy;
  first: boolean;
  last: boolean;
  busy: boolean;
  confirming: boolean;
  onMove: (by: -1 | 1) => void;
  onEdit: () => void;
  onDelete: () => void;
  onKeep: () => void;
}

function PolicyActions({
  policy,
  first,
  last,
  busy,
  confirming,
  onMove,
  onEdit,
  onDelete,
  onKeep,
}: PolicyActionsProps) {
  return (
    <div class="sla-policies__actions">
      <button type="button" class="button button--small" disabled={first || busy} onClick={() => onMove(-1)}>
        <span aria-hidden="true">↑</span>
        <span class="visually-hidden">Move {policy.name} up</span>
      </button>
      <button type="button" class="button button--small" disabled={last || busy} onClick={() => onMove(1)}>
        <span aria-hidden="true">↓</span>
        <span class="visually-hidden">Move {policy.name} down</span>
      </button>
      <button type="button" class="button button--small" onClick={onEdit} aria-label={`Edit ${policy.name}`}>
        Edit
      </button>
      <button
        type="button"
        class="button button--small button--danger"
        disabled={busy}
        onClick={onDelete}
        aria-label={confirming ? `Confirm deleting ${policy.name}` : `Delete ${policy.name}`}
      >
        {confirming ? 'Confirm delete' : 'Delete'}
      </button>
      {confirming && (
        <button type="button" class="button button--small button--quiet" onClick={onKeep}>
          Keep
        </button>
      )}
    </div>
  );
}
