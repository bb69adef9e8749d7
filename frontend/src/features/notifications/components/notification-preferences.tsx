import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useId, useState } from 'preact/hooks';
import { ErrorMessage, errorMessage, Loading } from '@/components/status';
import { useCan } from '@/lib/auth';
import { queryKeys } from '@/lib/query-keys';
import type { NotificationPrefs } from '@/types/api';
import {
  changedPrefs,
  PREFERENCES,
  type Preference,
  saveNotificationPrefs,
  useNotificationPrefs,
} from '../api/preferences';

/** The signed-in user's email choices: checkboxes, saved together, with a visible confirmation. */
export function NotificationPreferences() {
  const prefs = useNotificationPrefs();
  if (prefs.isPending) return <Loading label="Loading your email settings…" />;
  if (prefs.isError) return <ErrorMessage error={prefs.error} onRetry={() => void prefs.refetch()} />;
  return <PreferencesForm saved={prefs.data} />;
}

function PreferencesForm({ saved }: { saved: NotificationPrefs }) {
  const queryClient = useQueryClient();
  const worksTickets = useCan('tickets.write');
  const [values, setValues] = useState(saved);
  const [confirmation, setConfirmation] = useState('');
  const save = useMutation({
    mutationFn: saveNotificationPrefs,
    onSuccess: (answer) => {
      queryClient.setQueryData(queryKeys.notificationPrefs, answer);
      setValues(answer);
      setConfirmation('Saved. Your email settings are up to date.');
    },
  });
  const shown = PREFERENCES.filter((pref) => worksTickets || !pref.forAssignees);
  const changes = changedPrefs(saved, values);
  const unsaved = Object.keys(changes).length > 0;

  return (
    <form
      class="form panel notification-prefs"
      aria-labelledby="email-prefs-heading"
      onSubmit={(e) => {
        e.preventDefault();
        if (save.isPending) return;
        if (!unsaved) {
          setConfirmation('Nothing changed: your email settings are already saved.');
          return;
        }
        setConfirmation('');
        save.mutate(changes);
      }}
    >
      <h2 id="email-prefs-heading" class="panel__title">
        Email
      </h2>
      <fieldset class="prefs">
        <legend>Email me when</legend>
        {shown.map((pref) => (
          <PreferenceCheckbox
            key={pref.key}
            pref={pref}
            checked={values[pref.key]}
            onChange={(checked) => {
              setConfirmation('');
              setValues({ ...values, [pref.key]: checked });
            }}
          />
        ))}
      </fieldset>
      <div class="form__actions">
        <button type="submit" class="button button--primary">
          {save.isPending ? 'Saving…' : 'Save email settings'}
        </button>
        {unsaved && !save.isPending && <span class="muted small">You have unsaved changes.</span>}
      </div>
      <p class="save-status" role="status">
        {confirmation}
      </p>
      {save.isError && (
        <p class="form__error" role="alert">
          Could not save your email settings: {errorMessage(save.error)}
        </p>
      )}
    </form>
  );
}

function PreferenceCheckbox({
  pref,
  checked,
  onChange,
}: {
  pref: Preference;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div class="pref">
      <input
        type="checkbox"
        id={id}
        checked={checked}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      <label for={id}>{pref.label}</label>
      <p class="field__hint pref__hint" id={`${id}-hint`}>
        {pref.hint}
      </p>
    </div>
  );
}
