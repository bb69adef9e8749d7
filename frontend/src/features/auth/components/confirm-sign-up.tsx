import { useEffect, useRef, useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { isApiError } from '@/lib/api-client';
import { confirmSignUp, tokenFromHash } from '../api/sessions';

type State =
  | { kind: 'confirming' }
  | { kind: 'invalid'; message: string }
  | { kind: 'slug-taken'; message: string }
  | { kind: 'failed'; message: string };

const EXPIRED = 'This link has expired or was already used. Sign up again to get a new one.';

/**
 * The page the confirmation email links to. It reads the token from the URL fragment, drops it from
 * the address bar and history, and posts it; a taken workspace address asks for another and retries
 * with the same token.
 */
export function ConfirmSignUp({ hash, onConfirmed }: { hash: string; onConfirmed: () => void }) {
  const token = useRef<string | null>(tokenFromHash(hash));
  const started = useRef(false);
  const [state, setState] = useState<State>(
    token.current ? { kind: 'confirming' } : { kind: 'invalid', message: EXPIRED },
  );
  const [slug, setSlug] = useState('');
  const [slugError, setSlugError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);

  async function confirm(workspaceSlug?: string) {
    if (!token.current) return;
    setPending(true);
    try {
      await confirmSignUp(token.current, workspaceSlug);
      onConfirmed();
    } catch (failure) {
      if (isApiError(failure, 409)) {
        setSlugError(failure.problem.detail);
        setState({ kind: 'slug-taken', message: failure.problem.detail || 'That workspace address is taken.' });
      } else if (isApiError(failure, 422)) {
        const errors = errorsByField(failure.fieldErrors);
        if (errors.workspace_slug) {
          setSlugError(errors.workspace_slug);
          setState({ kind: 'slug-taken', message: errors.workspace_slug });
        } else setState({ kind: 'invalid', message: errors.token ?? EXPIRED });
      } else setState({ kind: 'failed', message: 'Confirming failed. Check your connection and try again.' });
    } finally {
      setPending(false);
    }
  }

  useEffect(() => {
    if (started.current || !token.current) return;
    started.current = true;
    // the token is a one-time secret: keep it out of the history and of anything that reads the URL
    window.history.replaceState(null, '', window.location.pathname);
    void confirm();
  }, []);

  if (state.kind === 'confirming') {
    return (
      <p role="status" aria-live="polite">
        Confirming your email and creating the workspace…
      </p>
    );
  }
  if (state.kind === 'invalid') {
    return (
      <div class="form">
        <p class="form__error" role="alert">
          {state.message}
        </p>
        <a class="button button--primary button--wide" href="/sign-up">
          Sign up again
        </a>
      </div>
    );
  }
  if (state.kind === 'failed') {
    return (
      <div class="form">
        <p class="form__error" role="alert">
          {state.message}
        </p>
        <button type="button" class="button button--primary button--wide" disabled={pending} onClick={() => confirm()}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <form
      class="form"
      onSubmit={(event) => {
        event.preventDefault();
        void confirm(slug.trim());
      }}
    >
      <p class="form__error" role="alert">
        Your email is confirmed, but the workspace address you chose is taken. Choose another.
      </p>
      <Field
        label="Workspace address"
        hint="Lowercase letters, digits and dashes; you sign in with it."
        error={slugError ?? state.message}
      >
        {(ids) => (
          <input
            id={ids.id}
            name="workspace_slug"
            required
            autoComplete="off"
            aria-describedby={ids.describedBy}
            aria-invalid={ids.invalid || undefined}
            value={slug}
            onInput={(e) => setSlug(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit" class="button button--primary button--wide" disabled={pending}>
        {pending ? 'Creating workspace…' : 'Create workspace'}
      </button>
    </form>
  );
}
