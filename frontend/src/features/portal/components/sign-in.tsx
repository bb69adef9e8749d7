import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Field, errorsByField } from '@/components/field';
import { Loading, errorMessage } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import { useDocumentTitle } from '@/lib/document-title';
import { confirmSignIn, requestSignIn, tokenFromFragment } from '../api/portal-api';

/** Sign-in by emailed link: ask for one, or (opened from the email) spend the one in the fragment. */
export function PortalSignIn({ slug }: { slug: string }) {
  useDocumentTitle('Sign in');
  const { route } = useLocation();
  const [token] = useState(tokenFromFragment);
  const [confirming, setConfirming] = useState(Boolean(token));
  const [linkError, setLinkError] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    confirmSignIn(slug, token)
      .then(() => route(`/portal/${slug}`, true))
      .catch((failure: unknown) => {
        setConfirming(false);
        setLinkError(
          isApiError(failure, 422)
            ? 'This sign-in link has expired or was already used. Ask for a new one below.'
            : errorMessage(failure),
        );
      });
  }, [slug, token]);

  if (confirming) return <Loading label="Signing you in…" />;

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFieldError(undefined);
    try {
      const answer = await requestSignIn(slug, email);
      setSent(answer.detail);
    } catch (failure) {
      if (isApiError(failure, 422)) setFieldError(errorsByField(failure.fieldErrors).email ?? failure.message);
      else setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="portal-card" aria-labelledby="portal-sign-in">
      <h1 id="portal-sign-in">Sign in to see your requests</h1>
      {linkError && (
        <p class="notice notice--warning" role="alert">
          {linkError}
        </p>
      )}
      {sent ? (
        <p class="notice notice--success" role="status">
          {sent}
        </p>
      ) : (
        <form class="form" onSubmit={submit} noValidate>
          <p class="muted">No password: we email you a link that signs you in.</p>
          <Field label="Email address" error={fieldError}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                type="email"
                autocomplete="email"
                required
                value={email}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
            )}
          </Field>
          {error && (
            <p class="notice notice--warning" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="button button--primary" disabled={busy}>
            {busy ? 'Sending…' : 'Email me a sign-in link'}
          </button>
        </form>
      )}
    </section>
  );
}
