import { useState } from 'preact/hooks';
import { Field } from '@/components/field';
import { signIn, signInErrorMessage } from '../api/sessions';

const LAST_WORKSPACE_KEY = 'pulsedesk.workspace';

/** The workspace last signed in to on this browser, to fill in the workspace field. */
export function rememberedWorkspace(): string {
  try {
    return localStorage.getItem(LAST_WORKSPACE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [workspace, setWorkspace] = useState(rememberedWorkspace);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await signIn({ workspace: workspace.trim(), email: email.trim(), password });
      try {
        localStorage.setItem(LAST_WORKSPACE_KEY, workspace.trim());
      } catch {
        /* storage unavailable */
      }
      onSignedIn();
    } catch (failure) {
      setError(signInErrorMessage(failure));
      setPassword('');
    } finally {
      setPending(false);
    }
  }

  return (
    <form class="form" onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
      {error && (
        <p class="form__error" id="sign-in-error" role="alert">
          {error}
        </p>
      )}
      <Field label="Workspace">
        {({ id }) => (
          <input
            id={id}
            name="workspace"
            autoComplete="organization"
            autoCapitalize="off"
            required
            value={workspace}
            onInput={(e) => setWorkspace(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Email">
        {({ id }) => (
          <input
            id={id}
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Password">
        {({ id }) => (
          <input
            id={id}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit" class="button button--primary button--wide" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
