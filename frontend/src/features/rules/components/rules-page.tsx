import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useId, useState } from 'preact/hooks';
import { Empty, ErrorMessage, errorMessage, Loading } from '@/components/status';
import { formatDateTime } from '@/lib/format';
import {
  createRule,
  deleteRule,
  describeAction,
  describeCondition,
  describeTrigger,
  movedTo,
  reorderRules,
  ruleRunsKey,
  rulesKey,
  testRule,
  updateRule,
  useRuleRuns,
  useRules,
  type Rule,
  type RuleInput,
  type RuleList,
  type RuleTestResult,
} from '../api/rules';
import { RuleForm } from './rule-form';

function summary(rule: Rule): string {
  const when = rule.kind === 'event' ? `When ${rule.triggers.map(describeTrigger).join(' or ')}` : 'Every 5 minutes';
  const all = (rule.conditions.all ?? []).map(describeCondition);
  const any = (rule.conditions.any ?? []).map(describeCondition);
  const parts = [all.length ? `if ${all.join(' and ')}` : '', any.length ? `and any of: ${any.join('; ')}` : ''];
  return [when, ...parts].filter(Boolean).join(', ');
}

/** The workspace's rules in running order: reorder (drag, or the arrow buttons), enable/disable,
 *  edit, test on a ticket, read the run log; then add one. */
export function RulesManager() {
  const rules = useRules();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const [inspecting, setInspecting] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: rulesKey, exact: true });

  const create = useMutation({
    mutationFn: createRule,
    onSuccess: (rule) => {
      setFormKey((k) => k + 1);
      setNotice(`Rule “${rule.name}” added; it runs after the others.`);
      void refresh();
    },
  });
  const update = useMutation({
    mutationFn: ({ id, input }: { id: string; input: Partial<RuleInput> & { version?: number } }) =>
      updateRule(id, input),
    onSuccess: (rule) => {
      setEditing(null);
      setNotice(`Rule “${rule.name}” saved${rule.enabled ? '' : ' (disabled)'}.`);
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: deleteRule,
    onSuccess: () => {
      setConfirming(null);
      setNotice('Rule deleted.');
      void refresh();
    },
  });
  const reorder = useMutation({
    mutationFn: reorderRules,
    onSuccess: (list: RuleList) => {
      queryClient.setQueryData(rulesKey, list);
      setNotice('Order saved.');
    },
  });

  if (rules.isPending) return <Loading label="Loading rules…" />;
  if (rules.isError) return <ErrorMessage error={rules.error} onRetry={() => void rules.refetch()} />;
  const items = rules.data.rules;
  const ids = items.map((r) => r.id);
  const busy = reorder.isPending || remove.isPending || update.isPending;
  const failed = remove.error ?? reorder.error ?? (editing ? null : update.error);
  const move = (id: string, to: number) => {
    setNotice(null);
    const next = movedTo(ids, id, to);
    if (next !== ids) reorder.mutate(next);
  };

  return (
    <div class="stack">
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
      {items.length === 0 ? (
        <Empty title="No rules yet">
          <p>Add one below: for example, send urgent tickets from a VIP domain to the tier-2 queue.</p>
        </Empty>
      ) : (
        <ol class="rule-list" aria-label="Rules, in the order they run">
          {items.map((rule, index) => (
            <li
              key={rule.id}
              class={`rule-list__item panel${dragged === rule.id ? ' rule-list__item--dragged' : ''}${rule.enabled ? '' : ' rule-list__item--off'}`}
              draggable
              onDragStart={(e) => {
                setDragged(rule.id);
                e.dataTransfer?.setData('text/plain', rule.id);
              }}
              onDragEnd={() => setDragged(null)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                const id = e.dataTransfer?.getData('text/plain') || dragged;
                setDragged(null);
                if (id) move(id, index);
              }}
            >
              <div class="rule-list__head">
                <h3 class="rule-list__name">
                  <span class="rule-list__handle" aria-hidden="true">
                    ⠿
                  </span>{' '}
                  {index + 1}. {rule.name}{' '}
                  <span class={`badge ${rule.enabled ? 'badge--status-open' : 'badge--status-closed'}`}>
                    {rule.enabled ? 'On' : 'Off'}
                  </span>{' '}
                  <span class="badge badge--status-pending">{rule.kind === 'event' ? 'Event' : 'Time'}</span>
                </h3>
                <div class="rule-list__actions">
                  <button
                    type="button"
                    class="button button--small"
                    disabled={index === 0 || busy}
                    onClick={() => move(rule.id, index - 1)}
                  >
                    <span aria-hidden="true">↑</span>
                    <span class="visually-hidden">Move {rule.name} up</span>
                  </button>
                  <button
                    type="button"
                    class="button button--small"
                    disabled={index === items.length - 1 || busy}
                    onClick={() => move(rule.id, index + 1)}
                  >
                    <span aria-hidden="true">↓</span>
                    <span class="visually-hidden">Move {rule.name} down</span>
                  </button>
                  <button
                    type="button"
                    class="button button--small"
                    aria-pressed={rule.enabled}
                    disabled={busy}
                    onClick={() => update.mutate({ id: rule.id, input: { enabled: !rule.enabled } })}
                  >
                    {rule.enabled ? 'Disable' : 'Enable'}
                    <span class="visually-hidden"> {rule.name}</span>
                  </button>
                  <button
                    type="button"
                    class="button button--small"
                    aria-expanded={inspecting === rule.id}
                    onClick={() => setInspecting(inspecting === rule.id ? null : rule.id)}
                  >
                    Test &amp; runs<span class="visually-hidden"> of {rule.name}</span>
                  </button>
                  <button
                    type="button"
                    class="button button--small"
                    onClick={() => {
                      update.reset();
                      setEditing(rule.id);
                    }}
                  >
                    Edit<span class="visually-hidden"> {rule.name}</span>
                  </button>
                  <button
                    type="button"
                    class="button button--small button--danger"
                    disabled={busy}
                    onClick={() => (confirming === rule.id ? remove.mutate(rule.id) : setConfirming(rule.id))}
                  >
                    {confirming === rule.id ? 'Confirm delete' : 'Delete'}
                    <span class="visually-hidden"> {rule.name}</span>
                  </button>
                </div>
              </div>
              <p class="muted small">{summary(rule)}</p>
              <p class="small">Then: {rule.actions.map(describeAction).join(', ')}</p>
              {inspecting === rule.id && <RuleInspector rule={rule} />}
            </li>
          ))}
        </ol>
      )}

      {editing && items.some((r) => r.id === editing) && (
        <section class="panel" aria-labelledby="edit-rule-heading">
          <h2 id="edit-rule-heading" class="panel__title">
            Edit “{items.find((r) => r.id === editing)!.name}”
          </h2>
          <RuleForm
            key={editing}
            rule={items.find((r) => r.id === editing)}
            submitLabel="Save rule"
            pending={update.isPending}
            error={update.error}
            onSubmit={(input) =>
              update.mutate({ id: editing, input: { ...input, version: items.find((r) => r.id === editing)!.version } })
            }
            onCancel={() => setEditing(null)}
          />
        </section>
      )}

      <section class="panel" aria-labelledby="add-rule-heading">
        <h2 id="add-rule-heading" class="panel__title">
          Add a rule
        </h2>
        <RuleForm
          key={formKey}
          submitLabel="Add rule"
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

/** "Test this rule" on a ticket number (nothing changes), and the rule's last 50 runs. */
function RuleInspector({ rule }: { rule: Rule }) {
  const id = useId();
  const [number, setNumber] = useState('');
  const queryClient = useQueryClient();
  const runs = useRuleRuns(rule.id);
  const test = useMutation({ mutationFn: (n: number) => testRule(rule.id, n) });
  return (
    <div class="rule-inspector stack">
      <form
        class="rule-inspector__test"
        onSubmit={(e) => {
          e.preventDefault();
          test.mutate(Number(number));
        }}
      >
        <label for={`${id}-number`}>Test “{rule.name}” on ticket #</label>
        <input
          id={`${id}-number`}
          class="input input--narrow"
          type="number"
          min={1}
          required
          value={number}
          onInput={(e) => setNumber(e.currentTarget.value)}
        />
        <button type="submit" class="button button--small" disabled={test.isPending}>
          Test
        </button>
      </form>
      {test.isError && (
        <p class="form__error" role="alert">
          {errorMessage(test.error)}
        </p>
      )}
      {test.data && <TestResult result={test.data} />}
      <div class="rule-inspector__runs">
        <h4>
          Last runs{' '}
          <button
            type="button"
            class="button button--small button--quiet"
            onClick={() => void queryClient.invalidateQueries({ queryKey: ruleRunsKey(rule.id) })}
          >
            Refresh<span class="visually-hidden"> runs of {rule.name}</span>
          </button>
        </h4>
        {runs.isPending ? (
          <Loading label="Loading runs…" />
        ) : runs.isError ? (
          <ErrorMessage error={runs.error} />
        ) : runs.data.runs.length === 0 ? (
          <p class="muted small">It has not acted on a ticket yet.</p>
        ) : (
          <div class="table-scroll" tabIndex={0} role="region" aria-label={`Runs of ${rule.name}`}>
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Ticket</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Did</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.runs.map((run) => (
                  <tr key={`${run.at}-${run.ticket_id}`}>
                    <td>{formatDateTime(run.at)}</td>
                    <td>
                      <a href={`/tickets/${run.ticket_id}`}>#{run.ticket_number}</a>
                    </td>
                    <td>{run.outcome.replace(/_/g, ' ')}</td>
                    <td class="small">{run.error ?? run.actions.join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}

function TestResult({ result }: { result: RuleTestResult }) {
  return (
    <div class="rule-test" role="status">
      <p>
        <strong>
          Ticket #{result.ticket_number}: {result.matched ? 'matches' : 'does not match'}
        </strong>{' '}
        (nothing was changed)
      </p>
      <ul class="rule-test__conditions">
        {result.conditions.map((c) => (
          <li key={`${c.group}-${c.index}`} class={c.matched ? 'rule-test__yes' : 'rule-test__no'}>
            <span aria-hidden="true">{c.matched ? '✓' : '✗'}</span>
            <span class="visually-hidden">{c.matched ? 'Matches:' : 'Does not match:'}</span> {c.group}: {c.field}{' '}
            {c.op.replace(/_/g, ' ')} {Array.isArray(c.value) ? c.value.join(', ') : String(c.value ?? '')} — the ticket
            has {Array.isArray(c.actual) ? c.actual.join(', ') || 'none' : String(c.actual ?? 'nothing')}
          </li>
        ))}
      </ul>
      {result.error ? (
        <p class="form__error">It could not act: {result.error}</p>
      ) : result.actions.length ? (
        <p>
          It would: {result.actions.join('; ')}
          {!result.matched && ' (if it matched)'}
        </p>
      ) : (
        <p>It would change nothing.</p>
      )}
    </div>
  );
}
