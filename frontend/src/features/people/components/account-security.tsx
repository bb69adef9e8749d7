import { useMutation } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { errorsByField, PasswordField, STRONG_PASSWORD_HINT } from '@/components/field';
import { isApiError } from '@/lib/api-client';
import { changePassword, signOutEverywhere } from '../api/people';
import { MySessions } from './my-sessions';

/** Change my password (the current one first) and sign out of every device. */
export function AccountSecurity() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const change = useMutation({
    mutationFn: () => changePassword(current, next),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setDone(true);
    },
  });
  const everywhere = useMutation({ mutationFn: signOutEverywhere });
  const errors = isApiError(change.error) ? errorsByField(change.error.fieldErrors) : {};

  return (
    <div class="stack">
      <form
        class="form panel"
        aria-labelledby="password-heading"
        onSubmit={(e) => {
          e.preventDefault();
          setDone(false);
          change.mutate();
        }}
      >
        <h2 id="password-heading" class="panel__title">
          Change your password
        </h2>
        {done && (
          <p class="form__success" role="status">
            Password changed. Every other device was signed out; this one stays signed in.
          </p>
        )}
        {change.isError && Object.keys(errors).length === 0 && (
          <p class="form__error" role="alert">
            {change.error.message}
          </p>
        )}
        <PasswordField
          label="Current password"
          autoComplete="current-password"
          error={errors.current_password}
          value={current}
          onValue={setCurrent}
        />
        <PasswordField
          label="New password"
          hint={STRONG_PASSWORD_HINT}
          error={errors.new_password}
          value={next}
          onValue={setNext}
        />
        <button type="submit" class="button button--primary" disabled={change.isPending}>
          {change.isPending ? 'Saving…' : 'Change password'}
        </button>
      </form>
      <section class="panel stack" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading" class="panel__title">
          Your sessions
        </h2>
        <MySessions />
        <p>
          Lost a laptop or signed in on a shared computer? Sign out everywhere ends every session of yours, this one
          too; sign in again afterwards.
        </p>
        {everywhere.isError && (
          <p class="form__error" role="alert">
            {everywhere.error.message}
          </p>
        )}
        <button type="button" class="button" disabled={everywhere.isPending} onClick={() => everywhere.mutate()}>
          Sign out everywhere
        </button>
      </section>
    </div>
  );
}
