import { useId, useState } from 'preact/hooks';
import { errorMessage } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import {
  ACTION_TYPES,
  blankAction,
  CONDITION_FIELDS,
  OPERATOR_LABELS,
  type Condition,
  type ConditionField,
  type Operator,
  type Rule,
  type RuleAction,
  type RuleInput,
  type Trigger,
} from '../api/rules';

interface RuleFormProps {
  rule?: Rule;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: RuleInput) => void;
  onCancel?: () => void;
}

const EVENTS: { value: Trigger['event']; label: string }[] = [
  { value: 'created', label: 'Ticket created' },
  { value: 'updated', label: 'Ticket updated' },
  { value: 'comment_added', label: 'Comment added' },
  { value: 'rated', label: 'Ticket rated' },
];

/** Create or edit a rule: when (triggers), if (conditions, all and any), then (actions). */
export function RuleForm({ rule, submitLabel, pending, error, onSubmit, onCancel }: RuleFormProps) {
  const id = useId();
  const [name, setName] = useState(rule?.name ?? '');
  const [kind, setKind] = useState<RuleInput['kind']>(rule?.kind ?? 'event');
  const [triggers, setTriggers] = useState<Trigger[]>(rule?.triggers ?? [{ event: 'created' }]);
  const [all, setAll] = useState<Condition[]>(rule?.conditions.all ?? []);
  const [any, setAny] = useState<Condition[]>(rule?.conditions.any ?? []);
  const [actions, setActions] = useState<RuleAction[]>(rule?.actions ?? [blankAction('add_tags')]);
  const problems = isApiError(error)
    ? ((error.problem.errors as { field: string; message: string }[] | undefined) ?? [])
    : [];

  return (
    <form
      class="stack rule-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit({
          name,
          kind,
          enabled: rule?.enabled ?? true,
          triggers: kind === 'event' ? triggers : [],
          conditions: { all, any },
          actions,
        });
      }}
    >
      {error != null && (
        <div class="form__error" role="alert">
          <p>{errorMessage(error)}</p>
          {problems.length > 0 && (
            <ul>
              {problems.map((p) => (
                <li key={p.field}>
                  <code>{p.field}</code>: {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div class="rule-form__row">
        <div class="field">
          <label for={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            class="input"
            required
            maxLength={120}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for={`${id}-kind`}>Runs</label>
          <select
            id={`${id}-kind`}
            class="input"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as RuleInput['kind'])}
          >
            <option value="event">When something happens (event rule)</option>
            <option value="time">On the schedule, every 5 minutes (time rule)</option>
          </select>
        </div>
      </div>

      {kind === 'event' && (
        <fieldset class="rule-form__group">
          <legend>When (any of)</legend>
          {triggers.map((trigger, index) => (
            <TriggerRow
              key={index}
              index={index}
              trigger={trigger}
              onChange={(next) => setTriggers(triggers.map((t, i) => (i === index ? next : t)))}
              onRemove={() => setTriggers(triggers.filter((_, i) => i !== index))}
            />
          ))}
          <button
            type="button"
            class="button button--small"
            onClick={() => setTriggers([...triggers, { event: 'updated' }])}
          >
            Add trigger
          </button>
        </fieldset>
      )}

      <ConditionList legend="If all of these hold" kind={kind} conditions={all} onChange={setAll} />
      <ConditionList legend="And any of these (leave empty for none)" kind={kind} conditions={any} onChange={setAny} />

      <fieldset class="rule-form__group">
        <legend>Then</legend>
        {actions.map((action, index) => (
          <ActionRow
            key={index}
            index={index}
            action={action}
            onChange={(next) => setActions(actions.map((a, i) => (i === index ? next : a)))}
            onRemove={() => setActions(actions.filter((_, i) => i !== index))}
          />
        ))}
        <button
          type="button"
          class="button button--small"
          onClick={() => setActions([...actions, blankAction('set_priority')])}
        >
          Add action
        </button>
      </fieldset>

      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="button button--quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function TriggerRow({
  index,
  trigger,
  onChange,
  onRemove,
}: {
  index: number;
  trigger: Trigger;
  onChange: (t: Trigger) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const n = index + 1;
  return (
    <div class="rule-form__item">
      <div class="field">
        <label for={`${id}-event`}>Trigger {n}</label>
        <select
          id={`${id}-event`}
          class="input"
          value={trigger.event}
          onChange={(e) => onChange({ event: e.currentTarget.value as Trigger['event'] })}
        >
          {EVENTS.map((e) => (
            <option key={e.value} value={e.value}>
              {e.label}
            </option>
          ))}
        </select>
      </div>
      {trigger.event === 'updated' && (
        <>
          <div class="field">
            <label for={`${id}-field`}>Field changed (trigger {n})</label>
            <select
              id={`${id}-field`}
              class="input"
              value={trigger.field ?? ''}
              onChange={(e) =>
                onChange({ event: 'updated', field: (e.currentTarget.value || null) as Trigger['field'] })
              }
            >
              <option value="">Any field</option>
              {(['status', 'priority', 'queue', 'assignee', 'tags'] as const).map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </div>
          {trigger.field && (
            <>
              <div class="field">
                <label for={`${id}-from`}>From (trigger {n})</label>
                <input
                  id={`${id}-from`}
                  class="input"
                  value={trigger.changed_from ?? ''}
                  onInput={(e) => onChange({ ...trigger, changed_from: e.currentTarget.value || null })}
                />
              </div>
              <div class="field">
                <label for={`${id}-to`}>To (trigger {n})</label>
                <input
                  id={`${id}-to`}
                  class="input"
                  value={trigger.changed_to ?? ''}
                  onInput={(e) => onChange({ ...trigger, changed_to: e.currentTarget.value || null })}
                />
              </div>
            </>
          )}
        </>
      )}
      {trigger.event === 'comment_added' && (
        <div class="field">
          <label for={`${id}-author`}>Written by (trigger {n})</label>
          <select
            id={`${id}-author`}
            class="input"
            value={trigger.author ?? 'any'}
            onChange={(e) => onChange({ event: 'comment_added', author: e.currentTarget.value as Trigger['author'] })}
          >
            <option value="any">Anyone</option>
            <option value="requester">The requester</option>
            <option value="agent">An agent</option>
          </select>
        </div>
      )}
      <button type="button" class="button button--small button--quiet" onClick={onRemove}>
        Remove trigger {n}
      </button>
    </div>
  );
}

function ConditionList({
  legend,
  kind,
  conditions,
  onChange,
}: {
  legend: string;
  kind: RuleInput['kind'];
  conditions: Condition[];
  onChange: (c: Condition[]) => void;
}) {
  const group = legend.startsWith('If') ? 'all' : 'any';
  return (
    <fieldset class="rule-form__group">
      <legend>{legend}</legend>
      {conditions.map((condition, index) => (
        <ConditionRow
          key={index}
          label={`${group === 'all' ? 'All' : 'Any'} ${index + 1}`}
          kind={kind}
          condition={condition}
          onChange={(next) => onChange(conditions.map((c, i) => (i === index ? next : c)))}
          onRemove={() => onChange(conditions.filter((_, i) => i !== index))}
        />
      ))}
      <button
        type="button"
        class="button button--small"
        onClick={() =>
          onChange([
            ...conditions,
            kind === 'time'
              ? { field: 'hours_since_updated', op: 'at_least', value: 24 }
              : { field: 'priority', op: 'is', value: 'urgent' },
          ])
        }
      >
        Add condition ({group})
      </button>
    </fieldset>
  );
}

function defaultValue(field: ConditionField, op: Operator): Condition['value'] {
  const spec = CONDITION_FIELDS[field];
  if (op === 'set' || op === 'not_set') return null;
  if (spec.value === 'hours') return 24;
  if (spec.value === 'bool') return true;
  if (op === 'in' || op === 'not_in' || spec.value === 'list') return spec.choices ? [spec.choices[0]!] : [];
  return spec.choices ? spec.choices[0]! : '';
}

function ConditionRow({
  label,
  kind,
  condition,
  onChange,
  onRemove,
}: {
  label: string;
  kind: RuleInput['kind'];
  condition: Condition;
  onChange: (c: Condition) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const spec = CONDITION_FIELDS[condition.field];
  const fields = (Object.keys(CONDITION_FIELDS) as ConditionField[]).filter(
    (f) => kind === 'time' || !CONDITION_FIELDS[f].timeOnly,
  );
  const many = condition.op === 'in' || condition.op === 'not_in' || spec.value === 'list';
  const value = condition.value;
  return (
    <div class="rule-form__item">
      <div class="field">
        <label for={`${id}-field`}>Condition {label}: field</label>
        <select
          id={`${id}-field`}
          class="input"
          value={condition.field}
          onChange={(e) => {
            const field = e.currentTarget.value as ConditionField;
            const op = CONDITION_FIELDS[field].ops[0]!;
            onChange({ field, op, value: defaultValue(field, op) });
          }}
        >
          {fields.map((f) => (
            <option key={f} value={f}>
              {CONDITION_FIELDS[f].label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-op`}>Condition {label}: test</label>
        <select
          id={`${id}-op`}
          class="input"
          value={condition.op}
          onChange={(e) => {
            const op = e.currentTarget.value as Operator;
            onChange({ ...condition, op, value: defaultValue(condition.field, op) });
          }}
        >
          {spec.ops.map((op) => (
            <option key={op} value={op}>
              {OPERATOR_LABELS[op]}
            </option>
          ))}
        </select>
      </div>
      {value !== null && value !== undefined && (
        <div class="field">
          <label for={`${id}-value`}>
            Condition {label}: {spec.value === 'hours' ? 'hours' : many ? 'values (comma separated)' : 'value'}
          </label>
          {spec.value === 'bool' ? (
            <select
              id={`${id}-value`}
              class="input"
              value={String(value)}
              onChange={(e) => onChange({ ...condition, value: e.currentTarget.value === 'true' })}
            >
              <option value="true">yes</option>
              <option value="false">no</option>
            </select>
          ) : spec.value === 'hours' ? (
            <input
              id={`${id}-value`}
              class="input"
              type="number"
              min={0}
              value={String(value)}
              onInput={(e) => onChange({ ...condition, value: Number(e.currentTarget.value) })}
            />
          ) : spec.choices && !many ? (
            <select
              id={`${id}-value`}
              class="input"
              value={String(value)}
              onChange={(e) => onChange({ ...condition, value: e.currentTarget.value })}
            >
              {spec.choices.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`${id}-value`}
              class="input"
              value={Array.isArray(value) ? value.join(', ') : String(value)}
              onInput={(e) => {
                const text = e.currentTarget.value;
                onChange({
                  ...condition,
                  value: many
                    ? text
                        .split(',')
                        .map((s) => s.trim())
                        .filter(Boolean)
                    : text,
                });
              }}
            />
          )}
        </div>
      )}
      <button type="button" class="button button--small button--quiet" onClick={onRemove}>
        Remove condition {label}
      </button>
    </div>
  );
}

function ActionRow({
  index,
  action,
  onChange,
  onRemove,
}: {
  index: number;
  action: RuleAction;
  onChange: (a: RuleAction) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const n = index + 1;
  const text = (key: string, label: string, multiline = false) => {
    const value = String((action as Record<string, unknown>)[key] ?? '');
    const set = (v: string) => onChange({ ...action, [key]: v } as RuleAction);
    return (
      <div class="field">
        <label for={`${id}-${key}`}>
          {label} (action {n})
        </label>
        {multiline ? (
          <textarea
            id={`${id}-${key}`}
            class="input"
            rows={3}
            value={value}
            onInput={(e) => set(e.currentTarget.value)}
          />
        ) : (
          <input id={`${id}-${key}`} class="input" value={value} onInput={(e) => set(e.currentTarget.value)} />
        )}
      </div>
    );
  };
  const choice = (key: string, label: string, options: string[]) => (
    <div class="field">
      <label for={`${id}-${key}`}>
        {label} (action {n})
      </label>
      <select
        id={`${id}-${key}`}
        class="input"
        value={String((action as Record<string, unknown>)[key] ?? '')}
        onChange={(e) => onChange({ ...action, [key]: e.currentTarget.value } as RuleAction)}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div class="rule-form__item">
      <div class="field">
        <label for={`${id}-type`}>Action {n}</label>
        <select
          id={`${id}-type`}
          class="input"
          value={action.type}
          onChange={(e) => onChange(blankAction(e.currentTarget.value as RuleAction['type']))}
        >
          {ACTION_TYPES.map((a) => (
            <option key={a.type} value={a.type}>
              {a.label}
            </option>
          ))}
        </select>
      </div>
      {action.type === 'set_status' && choice('status', 'Status', ['open', 'pending', 'on_hold', 'solved', 'closed'])}
      {action.type === 'set_priority' && choice('priority', 'Priority', ['urgent', 'high', 'normal', 'low'])}
      {action.type === 'set_queue' && text('queue', 'Queue')}
      {(action.type === 'add_tags' || action.type === 'remove_tags') && (
        <div class="field">
          <label for={`${id}-tags`}>Tags, comma separated (action {n})</label>
          <input
            id={`${id}-tags`}
            class="input"
            value={action.tags.join(', ')}
            onInput={(e) =>
              onChange({
                ...action,
                tags: e.currentTarget.value
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean),
              })
            }
          />
        </div>
      )}
      {action.type === 'set_assignee' && text('assignee', 'User id, “unassign” or “router”')}
      {(action.type === 'add_note' || action.type === 'add_reply') &&
        text('body', 'Text ({{ ticket.number }}, {{ requester.name }}…)', true)}
      {action.type === 'send_email' && (
        <>
          {choice('to', 'To', ['requester', 'user'])}
          {action.to === 'user' && text('user_id', 'User id')}
          {text('subject', 'Subject')}
          {text('body', 'Body', true)}
        </>
      )}
      {action.type === 'post_slack' && text('text', 'Message')}
      {action.type === 'send_webhook' && text('endpoint_id', 'Webhook endpoint id')}
      {action.type === 'apply_macro' && text('macro_id', 'Shared macro id')}
      <button type="button" class="button button--small button--quiet" onClick={onRemove}>
        Remove action {n}
      </button>
    </div>
  );
}
