import { useId, useState } from 'preact/hooks';
import { Field } from '@/components/field';
import { errorMessage } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import {
  errorsByPath,
  PRIORITIES,
  policyFormValues,
  policyInput,
  TARGETS,
  type PolicyFormValues,
  type SlaPolicy,
  type SlaPolicyInput,
} from '../api/sla';

interface PolicyFormProps {
  policy?: SlaPolicy;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: SlaPolicyInput) => void;
  onCancel?: () => void;
}

/** One policy: its name, what it narrows to, its time basis and its targets per priority (minutes). */
export function PolicyForm({ policy, submitLabel, pending, error, onSubmit, onCancel }: PolicyFormProps) {
  const [values, setValues] = useState<PolicyFormValues>(() => policyFormValues(policy));
  const id = useId();
  const errors = isApiError(error) ? errorsByPath(error.fieldErrors) : {};
  const general = error && !isApiError(error, 422) ? errorMessage(error) : null;
  const set = <K extends keyof PolicyFormValues>(key: K, value: PolicyFormValues[K]) =>
    setValues({ ...values, [key]: value });
  const setTarget = (priority: (typeof PRIORITIES)[number], key: (typeof TARGETS)[number]['key'], text: string) =>
    set('targets', { ...values.targets, [priority]: { ...values.targets[priority], [key]: text } });

  return (
    <form
      class="form sla-policy-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!pending) onSubmit(policyInput(values));
      }}
    >
      <Field label="Name" error={errors.name}>
        {({ id: inputId, describedBy, invalid }) => (
          <input
            id={inputId}
            value={values.name}
            required
            maxLength={120}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => set('name', e.currentTarget.value)}
          />
        )}
      </Field>
      <div class="form__pair">
        <Field label="Queue" hint="Only tickets in this queue; empty for any queue." error={errors.queue}>
          {({ id: inputId, describedBy, invalid }) => (
            <input
              id={inputId}
              value={values.queue}
              spellcheck={false}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => set('queue', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Tag" hint="Only tickets with this tag; empty for any." error={errors.tag}>
          {({ id: inputId, describedBy, invalid }) => (
            <input
              id={inputId}
              value={values.tag}
              spellcheck={false}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => set('tag', e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      <label class="check">
        <input
          type="checkbox"
          checked={values.businessHours}
          onChange={(e) => set('businessHours', e.currentTarget.checked)}
        />
        Count business hours only (otherwise calendar time)
      </label>

      <fieldset
        class="sla-targets"
        aria-describedby={`${id}-targets-hint${errors.targets ? ` ${id}-targets-error` : ''}`}
      >
        <legend>Targets in minutes</legend>
        <p class="field__hint" id={`${id}-targets-hint`}>
          Leave a priority empty to let later policies or the default hold it. 480 minutes = 8 hours.
        </p>
        {errors.targets && (
          <p class="field__error" id={`${id}-targets-error`}>
            {errors.targets}
          </p>
        )}
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Targets per priority">
          <table class="data-table sla-targets__table">
            <thead>
              <tr>
                <th scope="col">Priority</th>
                {TARGETS.map(({ key, label }) => (
                  <th scope="col" key={key}>
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {PRIORITIES.map((priority) => {
                const rowError = errors[`targets.${priority}`];
                return (
                  <tr key={priority}>
                    <th scope="row" class="capitalize">
                      {priority}
                      {rowError && (
                        <span class="field__error cell__sub" id={`${id}-${priority}-error`}>
                          {rowError}
                        </span>
                      )}
                    </th>
                    {TARGETS.map(({ key, label }) => {
                      const cellError = errors[`targets.${priority}.${key}`];
                      const errorId = `${id}-${priority}-${key}-error`;
                      const describedBy = [cellError && errorId, rowError && `${id}-${priority}-error`]
                        .filter(Boolean)
                        .join(' ');
                      return (
                        <td key={key} class={cellError ? 'cell--error' : undefined}>
                          <input
                            class="input--short"
                            inputMode="numeric"
                            aria-label={`${priority}: ${label} (minutes)`}
                            aria-invalid={Boolean(cellError || rowError)}
                            aria-describedby={describedBy || undefined}
                            value={values.targets[priority][key]}
                            onInput={(e) => setTarget(priority, key, e.currentTarget.value)}
                          />
                          {cellError && (
                            <span class="field__error cell__sub" id={errorId}>
                              {cellError}
                            </span>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>

      {general && (
        <p class="form__error" role="alert">
          {general}
        </p>
      )}
      {isApiError(error, 422) && (
        <p class="form__error" role="alert">
          Check the fields marked above.
        </p>
      )}
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
