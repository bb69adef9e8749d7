import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useId, useState } from 'preact/hooks';
import { Field } from '@/components/field';
import { ErrorMessage, errorMessage, Loading } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import {
  errorsByPath,
  hoursFormValues,
  hoursInput,
  saveBusinessHours,
  useBusinessHours,
  WEEKDAYS,
  type BusinessHours,
  type HoursFormValues,
  type Weekday,
} from '../api/sla';

const MAX_SPANS = 6;

function dayName(day: Weekday): string {
  return day.charAt(0).toUpperCase() + day.slice(1);
}

function zoneNames(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
}

/** The workspace's business hours: time zone, opening hours per weekday, public and custom holidays. */
export function BusinessHoursSettings() {
  const hours = useBusinessHours();
  if (hours.isPending) return <Loading label="Loading business hours…" />;
  if (hours.isError) return <ErrorMessage error={hours.error} onRetry={() => void hours.refetch()} />;
  return <BusinessHoursForm hours={hours.data} />;
}

export function BusinessHoursForm({ hours }: { hours: BusinessHours }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [values, setValues] = useState<HoursFormValues>(() => hoursFormValues(hours));
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: saveBusinessHours,
    onSuccess: (answer) => {
      queryClient.setQueryData(queryKeys.businessHours, answer);
      setValues(hoursFormValues(answer));
      setSaved(true);
    },
  });
  const errors = isApiError(save.error) ? errorsByPath(save.error.fieldErrors) : {};
  const change = (next: HoursFormValues) => {
    setSaved(false);
    setValues(next);
  };
  const setDay = (day: Weekday, spans: HoursFormValues['week'][Weekday]) =>
    change({ ...values, week: { ...values.week, [day]: spans } });

  return (
    <form
      class="form business-hours-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (save.isPending) return;
        setSaved(false);
        save.mutate(hoursInput(values));
      }}
    >
      <Field label="Time zone" hint="An IANA name such as Europe/Berlin or America/New_York." error={errors.time_zone}>
        {({ id: inputId, describedBy, invalid }) => (
          <>
            <input
              id={inputId}
              list={`${id}-zones`}
              value={values.timeZone}
              required
              spellcheck={false}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => change({ ...values, timeZone: e.currentTarget.value })}
            />
            <datalist id={`${id}-zones`}>
              {zoneNames().map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </>
        )}
      </Field>

      <fieldset class="business-hours__week" aria-describedby={errors.weekly_hours ? `${id}-week-error` : undefined}>
        <legend>Opening hours</legend>
        <p class="field__hint">Times are HH:MM in the workspace's time zone; 24:00 closes at midnight.</p>
        {errors.weekly_hours && (
          <p class="field__error" id={`${id}-week-error`}>
            {errors.weekly_hours}
          </p>
        )}
        {WEEKDAYS.map((day) => (
          <DayHours
            key={day}
            day={day}
            spans={values.week[day]}
            errors={errors}
            onChange={(spans) => setDay(day, spans)}
          />
        ))}
      </fieldset>

      <div class="form__pair">
        <Field
          label="Public holidays of"
          hint="A country code, e.g. DE or US; empty for none."
          error={errors.holiday_country}
        >
          {({ id: inputId, describedBy, invalid }) => (
            <input
              id={inputId}
              class="input--short"
              value={values.country}
              maxLength={3}
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => change({ ...values, country: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field label="Region" hint="Optional: a state or region code, e.g. BY." error={errors.holiday_subdivision}>
          {({ id: inputId, describedBy, invalid }) => (
            <input
              id={inputId}
              class="input--short"
              value={values.subdivision}
              maxLength={10}
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => change({ ...values, subdivision: e.currentTarget.value })}
            />
          )}
        </Field>
      </div>

      <fieldset class="business-hours__holidays">
        <legend>Closing days of your own</legend>
        {values.holidays.length === 0 && <p class="muted small">None.</p>}
        {values.holidays.map((holiday, index) => {
          const set = (patch: Partial<typeof holiday>) =>
            change({ ...values, holidays: values.holidays.map((h, i) => (i === index ? { ...h, ...patch } : h)) });
          const rowError = errors[`holidays.${index}`];
          return (
            <div class="business-hours__row" key={index} role="group" aria-label={`Closing ${index + 1}`}>
              <Field label="From" error={errors[`holidays.${index}.start`] ?? rowError}>
                {({ id: inputId, describedBy, invalid }) => (
                  <input
                    id={inputId}
                    type="date"
                    required
                    value={holiday.start}
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                    onInput={(e) => set({ start: e.currentTarget.value })}
                  />
                )}
              </Field>
              <Field label="To" hint="Empty for one day." error={errors[`holidays.${index}.end`]}>
                {({ id: inputId, describedBy, invalid }) => (
                  <input
                    id={inputId}
                    type="date"
                    value={holiday.end}
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                    onInput={(e) => set({ end: e.currentTarget.value })}
                  />
                )}
              </Field>
              <Field label="Name" error={errors[`holidays.${index}.name`]}>
                {({ id: inputId, describedBy, invalid }) => (
                  <input
                    id={inputId}
                    value={holiday.name}
                    maxLength={200}
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                    onInput={(e) => set({ name: e.currentTarget.value })}
                  />
                )}
              </Field>
              <button
                type="button"
                class="button button--small button--quiet"
                aria-label={`Remove closing ${index + 1}`}
                onClick={() => change({ ...values, holidays: values.holidays.filter((_, i) => i !== index) })}
              >
                Remove
              </button>
            </div>
          );
        })}
        <button
          type="button"
          class="button button--small"
          onClick={() => change({ ...values, holidays: [...values.holidays, { start: '', end: '', name: '' }] })}
        >
          Add a closing day
        </button>
      </fieldset>

      {save.error && !isApiError(save.error, 422) && (
        <p class="form__error" role="alert">
          {errorMessage(save.error)}
        </p>
      )}
      {isApiError(save.error, 422) && (
        <p class="form__error" role="alert">
          Check the fields marked above.
        </p>
      )}
      {saved && (
        <p class="form__success" role="status">
          Business hours saved. Open tickets on business-time policies are re-planned in the background.
        </p>
      )}
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save business hours'}
        </button>
      </div>
    </form>
  );
}

interface DayHoursProps {
  day: Weekday;
  spans: HoursFormValues['week'][Weekday];
  errors: Record<string, string>;
  onChange: (spans: HoursFormValues['week'][Weekday]) => void;
}

function DayHours({ day, spans, errors, onChange }: DayHoursProps) {
  const set = (index: number, patch: Partial<(typeof spans)[number]>) =>
    onChange(spans.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  return (
    <div class="business-hours__day" role="group" aria-label={dayName(day)}>
      <p class="business-hours__day-name">{dayName(day)}</p>
      {spans.length === 0 && <p class="muted small">Closed</p>}
      {spans.map((span, index) => {
        const where = `weekly_hours.${day}.${index}`;
        const spanError = errors[where];
        return (
          <div class="business-hours__row" key={index}>
            <Field label={`${dayName(day)} opens`} error={errors[`${where}.start`] ?? spanError}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  class="input--short"
                  placeholder="09:00"
                  required
                  pattern="[0-2][0-9]:[0-5][0-9]"
                  value={span.start}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  onInput={(e) => set(index, { start: e.currentTarget.value })}
                />
              )}
            </Field>
            <Field label={`${dayName(day)} closes`} error={errors[`${where}.end`]}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  class="input--short"
                  placeholder="17:00"
                  required
                  pattern="[0-2][0-9]:[0-5][0-9]"
                  value={span.end}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  onInput={(e) => set(index, { end: e.currentTarget.value })}
                />
              )}
            </Field>
            <button
              type="button"
              class="button button--small button--quiet"
              aria-label={`Remove ${dayName(day)} hours ${index + 1}`}
              onClick={() => onChange(spans.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          </div>
        );
      })}
      {spans.length < MAX_SPANS && (
        <button
          type="button"
          class="button button--small"
          aria-label={`Add hours on ${dayName(day)}`}
          onClick={() => onChange([...spans, { start: '09:00', end: '17:00' }])}
        >
          Add hours
        </button>
      )}
    </div>
  );
}
