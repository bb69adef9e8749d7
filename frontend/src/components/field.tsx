import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  /** The label is read by screen readers only (a table cell whose column header says it). */
  hideLabel?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
}

/** A label, its control, and an optional hint and error that the control is described by. */
export function Field({ label, error, hint, hideLabel, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label for={id} class={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint && (
        <p class="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field__error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export const STRONG_PASSWORD_HINT = 'Three or four unrelated words make a strong password; use it nowhere else.';

/** A labelled password input: a new password (the browser may suggest one) or the current one. */
export function PasswordField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string;
  hint?: string;
  name?: string;
  autoComplete?: 'new-password' | 'current-password';
}) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint}>
      {(ids) => (
        <input
          id={ids.id}
          name={props.name}
          type="password"
          autoComplete={props.autoComplete ?? 'new-password'}
          required
          aria-describedby={ids.describedBy}
          aria-invalid={ids.invalid || undefined}
          value={props.value}
          onInput={(e) => props.onValue(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

/** Field errors from a problem+json `errors` list, keyed by field name. */
export function errorsByField(errors: { field: string; message: string }[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.field.split('.').pop() ?? e.field, e.message]));
}

/** A compact label-above-control pair; the label is tied by id so the accessible name is exactly `label`. */
export function InlineField({ label, children }: { label: string; children: (id: string) => ComponentChildren }) {
  const id = useId();
  return (
    <div class="inline-field">
      <label for={id}>{label}</label>
      {children(id)}
    </div>
  );
}
