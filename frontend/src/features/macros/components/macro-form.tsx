import { useState } from 'preact/hooks';
import { Field } from '@/components/field';
import { isApiError } from '@/lib/api-client';
import type { Macro, MacroAction, MacroInput, TicketPriority, TicketStatus } from '@/types/api';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '@/types/api';

export const PLACEHOLDERS = [
  '{{ ticket.number }}',
  '{{ ticket.subject }}',
  '{{ requester.name }}',
  '{{ requester.first_name }}',
  '{{ requester.email }}',
  '{{ agent.name }}',
];

interface Values {
  name: string;
  shared: boolean;
  status: '' | TicketStatus;
  priority: '' | TicketPriority;
  queue: string;
  addTags: string;
  removeTags: string;
  assignee: '' | 'unassign' | 'router';
  replyBody: string;
  replyPublic: boolean;
}

function valuesOf(macro: Macro | null): Values {
  const find = <T extends MacroAction['type']>(type: T) =>
    macro?.actions.find((a): a is Extract<MacroAction, { type: T }> => a.type === type);
  const assignee = find('set_assignee')?.assignee;
  return {
    name: macro?.name ?? '',
    shared: macro?.shared ?? false,
    status: find('set_status')?.status ?? '',
    priority: find('set_priority')?.priority ?? '',
    queue: find('set_queue')?.queue ?? '',
    addTags: find('add_tags')?.tags.join(', ') ?? '',
    removeTags: find('remove_tags')?.tags.join(', ') ?? '',
    assignee: assignee === 'unassign' || assignee === 'router' ? assignee : '',
    replyBody: macro?.reply?.body ?? '',
    replyPublic: macro?.reply?.public ?? true,
  };
}

const tagList = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);

/** The form's values as the API takes them. */
export function toInput(values: Values): MacroInput {
  const actions: MacroAction[] = [];
  if (values.status) actions.push({ type: 'set_status', status: values.status });
  if (values.priority) actions.push({ type: 'set_priority', priority: values.priority });
  if (values.queue.trim()) actions.push({ type: 'set_queue', queue: values.queue.trim() });
  if (tagList(values.addTags).length) actions.push({ type: 'add_tags', tags: tagList(values.addTags) });
  if (tagList(values.removeTags).length) actions.push({ type: 'remove_tags', tags: tagList(values.removeTags) });
  if (values.assignee) actions.push({ type: 'set_assignee', assignee: values.assignee });
  return {
    name: values.name,
    shared: values.shared,
    actions,
    reply: values.replyBody.trim() ? { body: values.replyBody, public: values.replyPublic } : null,
  };
}

/** The API's field names (`actions.0.set_status.status`, `reply.body`) mapped to this form's controls. */
function errorsOf(error: unknown, input: MacroInput): Partial<Record<keyof Values | 'form', string>> {
  if (!isApiError(error)) return error ? { form: String(error) } : {};
  const out: Partial<Record<keyof Values | 'form', string>> = {};
  for (const problem of error.fieldErrors) {
    const parts = problem.field.split('.');
    if (parts[0] === 'reply') out.replyBody = problem.message;
    else if (parts[0] === 'name') out.name = problem.message;
    else if (parts[0] === 'actions' && parts.length > 1) {
      const type = input.actions?.[Number(parts[1])]?.type;
      const key = (
        {
          set_status: 'status',
          set_priority: 'priority',
          set_queue: 'queue',
          add_tags: 'addTags',
          remove_tags: 'removeTags',
          set_assignee: 'assignee',
        } as const
      )[type ?? 'set_status'];
      out[key] = problem.message;
    } else out.form = problem.message;
  }
  if (!error.fieldErrors.length) out.form = error.message;
  return out;
}

export function MacroForm({
  macro,
  canShare,
  saving,
  error,
  onSave,
  onCancel,
}: {
  macro: Macro | null;
  canShare: boolean;
  saving: boolean;
  error: unknown;
  onSave: (input: MacroInput) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<Values>(() => valuesOf(macro));
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const errors = errorsOf(error, toInput(values));

  return (
    <form
      class="form macro-form"
      aria-label={macro ? `Edit ${macro.name}` : 'New macro'}
      onSubmit={(event) => {
        event.preventDefault();
        onSave(toInput(values));
      }}
    >
      <Field label="Name" error={errors.name}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            required
            maxLength={120}
            value={values.name}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => set('name', e.currentTarget.value)}
          />
        )}
      </Field>
      {canShare && (
        <label class="check">
          <input type="checkbox" checked={values.shared} onChange={(e) => set('shared', e.currentTarget.checked)} />{' '}
          Shared with the whole workspace
        </label>
      )}
      <fieldset class="macro-form__actions">
        <legend>Actions</legend>
        <div class="form__pair">
          <Field label="Set status" error={errors.status}>
            {({ id, describedBy }) => (
              <select
                id={id}
                value={values.status}
                aria-describedby={describedBy}
                onChange={(e) => set('status', e.currentTarget.value as Values['status'])}
              >
                <option value="">Leave as it is</option>
                {TICKET_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s.replace('_', ' ')}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Set priority" error={errors.priority}>
            {({ id, describedBy }) => (
              <select
                id={id}
                value={values.priority}
                aria-describedby={describedBy}
                onChange={(e) => set('priority', e.currentTarget.value as Values['priority'])}
              >
                <option value="">Leave as it is</option>
                {TICKET_PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div class="form__pair">
          <Field label="Move to queue" error={errors.queue} hint="Leave empty to keep the queue">
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                value={values.queue}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onInput={(e) => set('queue', e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Assignee" error={errors.assignee}>
            {({ id, describedBy }) => (
              <select
                id={id}
                value={values.assignee}
                aria-describedby={describedBy}
                onChange={(e) => set('assignee', e.currentTarget.value as Values['assignee'])}
              >
                <option value="">Leave as it is</option>
                <option value="unassign">Unassign</option>
                <option value="router">Hand to automatic assignment</option>
              </select>
            )}
          </Field>
        </div>
        <div class="form__pair">
          <Field label="Add tags" error={errors.addTags} hint="Separated by commas">
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                value={values.addTags}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onInput={(e) => set('addTags', e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Remove tags" error={errors.removeTags} hint="Separated by commas">
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                value={values.removeTags}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onInput={(e) => set('removeTags', e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <Field label="Reply text" error={errors.replyBody} hint={`Optional. Placeholders: ${PLACEHOLDERS.join(', ')}`}>
        {({ id, describedBy, invalid }) => (
          <textarea
            id={id}
            rows={5}
            value={values.replyBody}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => set('replyBody', e.currentTarget.value)}
          />
        )}
      </Field>
      <fieldset class="macro-form__kind">
        <legend>The reply is</legend>
        <label class="check">
          <input
            type="radio"
            name="reply-kind"
            checked={values.replyPublic}
            onChange={() => set('replyPublic', true)}
          />{' '}
          a public reply (emailed to the requester)
        </label>
        <label class="check">
          <input
            type="radio"
            name="reply-kind"
            checked={!values.replyPublic}
            onChange={() => set('replyPublic', false)}
          />{' '}
          an internal note
        </label>
      </fieldset>
      {errors.form && (
        <p class="form__error" role="alert">
          {errors.form}
        </p>
      )}
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={saving}>
          {saving ? 'Saving…' : macro ? 'Save macro' : 'Create macro'}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
