import { useEffect, useRef, useState } from 'preact/hooks';
import { errorsByField, PasswordField, STRONG_PASSWORD_HINT } from '@/components/field';
import { isApiError } from '@/lib/api-client';
import { confirmPasswordReset, tokenFromHash } from '../api/sessions';

const EXPIRED = 'This link has expired or was already used. Ask for a new one.';
const MISMATCH = 'The two passwords are not the same. Type the new password again in both fields.';

type State = { kind: 'choosing' } | { kind: 'invalid'; message: string } | { kind: 'done' };

/**
 * The page the password-reset email links to. It takes the token from the URL fragment and drops it
 * from the address bar and history at once, then asks for the new password twice. The server says
 * whether the password is strong enough; after the change every session has ended, so it offers to sign in.
 */
export function ResetPassword({ hash }: { hash: string }) {
  const token = useRef<string | null>(tokenFromHash(hash));
  const [state, setState] = useState<State>(
    token.current ? { kind: 'choosing' } : { kind: 'invalid', message: EXPIRED },
  );
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ password?: string; repeated?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    // the token is a one-time secret: keep it out of the history and of anything that reads the URL
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    if (password !== repeated) {
      setFieldErrors({ repeated: MISMATCH });
      return;
    }
    if (!token.current) return;
    setFieldErrors({});
    setPending(true);
    try {
      await confirmPasswordReset(token.current, password);
      setPassword('');
      setRepeated('');
      setState({ kind: 'done' });
    } catch (failure) {
      if (isApiError(failure, 422)) {
        const errors = errorsByField(failure.fieldErrors);
        if (errors.token) setState({ kind: 'invalid', message: errors.token });
        else {
          setFieldErrors({ password: errors.password ?? failure.message });
          setError('Choose another password.');
        }
      } else if (isApiError(failure, 429)) {
        setError(failure.problem.detail || 'Too many requests. Wait a minute and try again.');
      } else setError('Changing the password failed. Check your connection and try again.');
    } finally {
      setPending(false);
    }
  }

  if (state.kind === 'invalid') {
    return (
      <div class="form">
        <p class="form__error" role="alert">
          {state.message}
        </p>
        <a class="button button--primary button--wide" href="/forgot-password">
          Send me a new link
        </a>
      </div>
    );
  }
  if (state.kind === 'done') {
    return (
      <section class="form" role="status" aria-labelledby="reset-done-heading">
        <h2 id="reset-done-heading">Your password is changed</h2>
        <p>Every device that was signed in to this account has been signed out. Sign in with your new password.</p>
        <a class="button button--primary button--wide" href="/sign-in">
          Sign in
        </a>
      </section>
    );
  }
  return (
    <form class="form" onSubmit={submit}>
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
      <PasswordField
        label="New password"
        name="password"
        hint={STRONG_PASSWORD_HINT}
        error={fieldErrors.password}
        value={password}
        onValue={setPassword}
      />
      <PasswordField
        label="New password again"
        name="password_again"
        error={fieldErrors.repeated}
        value={repeated}
        onValue={setRepeated}
      />
      <button type="submit" class="button button--primary button--wide" disabled={pending}>
        {pending ? 'Saving…' : 'Set new password'}
      </button>
    </form>
  );
}
