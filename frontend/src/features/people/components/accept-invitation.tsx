import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { errorsByField, Field, PasswordField, STRONG_PASSWORD_HINT } from '@/components/field';
import { isApiError } from '@/lib/api-client';
import { tokenFromHash } from '@/features/auth/api/sessions';
import { acceptInvitation } from '../api/people';

const EXPIRED = 'This invitation has expired, was revoked or was already used. Ask your admin for a new one.';

/**
 * The page the invitation email links to: the token comes from the URL fragment (dropped from the address
 * bar at once); the person chooses their name and password and is signed in.
 */
export function AcceptInvitation({ hash }: { hash: string }) {
  const token = useRef<string | null>(tokenFromHash(hash));
  const { route } = useLocation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [invalid, setInvalid] = useState<string | null>(token.current ? null : EXPIRED);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    if (!token.current) return;
    setError(null);
    setErrors({});
    setPending(true);
    try {
      await acceptInvitation(token.current, name.trim(), password);
      route('/', true);
    } catch (failure) {
      if (isApiError(failure, 422)) {
        const found = errorsByField(failure.fieldErrors);
        if (found.token) setInvalid(found.token);
        else setErrors(found);
      } else if (isApiError(failure, 429)) setError(failure.problem.detail || 'Too many requests. Wait a minute.');
      else setError('Joining failed. Check your connection and try again.');
    } finally {
      setPending(false);
    }
  }

  if (invalid) {
    return (
      <div class="form">
        <p class="form__error" role="alert">
          {invalid}
        </p>
        <a class="button button--wide" href="/sign-in">
          Go to sign in
        </a>
      </div>
    );
  }
  return (
    <form class="form" onSubmit={submit}>
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
      <Field label="Your name" error={errors.name} hint="How your team and customers see you.">
        {(ids) => (
          <input
            id={ids.id}
            name="name"
            autoComplete="name"
            required
            aria-describedby={ids.describedBy}
            aria-invalid={ids.invalid || undefined}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        )}
      </Field>
      <PasswordField
        label="Password"
        name="password"
        hint={STRONG_PASSWORD_HINT}
        error={errors.password}
        value={password}
        onValue={setPassword}
      />
      <button type="submit" class="button button--primary button--wide" disabled={pending}>
        {pending ? 'Joining…' : 'Join the workspace'}
      </button>
    </form>
  );
}
