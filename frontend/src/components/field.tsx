import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
}

/** A label, its control, and an optional hint and error that the control is described by. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
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
