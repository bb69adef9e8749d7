import { useId, useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { errorMessage } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import { ALL_EVENTS, WEBHOOK_EVENTS, type WebhookInput } from '../api/webhooks';

interface WebhookFormProps {
  initial?: WebhookInput;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: WebhookInput) => void;
  onCancel?: () => void;
  /** The form's accessible name (its heading's id, or a label). */
  labelledBy?: string;
  label?: string;
}

const BLANK: WebhookInput = { url: '', description: '', event_types: [ALL_EVENTS] };

/** An endpoint's URL, description and events: adding one, or changing it. */
export function WebhookForm({
  initial = BLANK,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
  labelledBy,
  label,
}: WebhookFormProps) {
  const [url, setUrl] = useState(initial.url);
  const [description, setDescription] = useState(initial.description);
  const [events, setEvents] = useState<string[]>(initial.event_types);
  const [noEvents, setNoEvents] = useState(false);
  // `event_types.0` and the like belong to the events group.
  const serverErrors = isApiError(error)
    ? errorsByField(error.fieldErrors.map((e) => ({ ...e, field: e.field.replace(/\.\d+$/, '') })))
    : {};
  const eventsError = noEvents ? 'Choose at least one event.' : serverErrors.event_types;

  return (
    <form
      class="form webhook-form"
      aria-labelledby={labelledBy}
      aria-label={labelledBy ? undefined : label}
      onSubmit={(e) => {
        e.preventDefault();
        if (pending) return;
        if (events.length === 0) return setNoEvents(true);
        onSubmit({ url: url.trim(), description: description.trim(), event_types: events });
      }}
    >
      <div class="form__pair">
        <Field
          label="Endpoint URL"
          hint="The receiver's https address. Each request is signed with the endpoint's secret."
          error={serverErrors.url}
        >
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="url"
              required
              inputMode="url"
              autoComplete="off"
              spellcheck={false}
              placeholder="https://example.com/pulsedesk"
              value={url}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onInput={(e) => setUrl(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Description (optional)" error={serverErrors.description}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              maxLength={200}
              placeholder="e.g. CRM sync"
              value={description}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onInput={(e) => setDescription(e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      <EventTypes
        value={events}
        error={eventsError}
        onChange={(next) => {
          setNoEvents(false);
          setEvents(next);
        }}
      />
      {error != null && Object.keys(serverErrors).length === 0 && (
        <p class="form__error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      <div class="form__actions">
        <button type="submit" class="button button--primary">
          {pending ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function EventTypes({
  value,
  error,
  onChange,
}: {
  value: string[];
  error: string | undefined;
  onChange: (next: string[]) => void;
}) {
  const errorId = useId();
  const all = value.includes(ALL_EVENTS);
  const toggle = (type: string, on: boolean) => onChange(on ? [...value, type] : value.filter((t) => t !== type));
  return (
    <fieldset class={`event-types${error ? ' field--invalid' : ''}`} aria-describedby={error ? errorId : undefined}>
      <legend>Events to send</legend>
      <label class="check event-types__all">
        <input type="checkbox" checked={all} onChange={(e) => onChange(e.currentTarget.checked ? [ALL_EVENTS] : [])} />
        <span>
          All events <span class="muted">(including events added later)</span>
        </span>
      </label>
      <div class="event-types__list">
        {WEBHOOK_EVENTS.map((event) => (
          <label class="check" key={event.type}>
            <input
              type="checkbox"
              checked={all || value.includes(event.type)}
              disabled={all}
              onChange={(e) => toggle(event.type, e.currentTarget.checked)}
            />
            <span>
              {event.label} <code class="muted">{event.type}</code>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p class="field__error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
