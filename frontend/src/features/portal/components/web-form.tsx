import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Field, errorsByField } from '@/components/field';
import { Loading, errorMessage } from '@/components/status';
import { ArticleSuggestions } from '@/features/help-center/components/article-suggestions';
import { recordRequestSubmitted } from '@/features/help-center/api/help';
import { isApiError } from '@/lib/api-client';
import { useDocumentTitle } from '@/lib/document-title';
import { confirmWebRequest, submitWebRequest, tokenFromFragment, usePortalWorkspace } from '../api/portal-api';
import { RequestFields } from './new-request';

/**
 * The public form (also inside the widget's iframe): nothing is sent until the address confirms it
 * by the emailed link. The "website" input is a honeypot: hidden from people and from assistive
 * technology, filled only by bots.
 */
export function WebForm({ slug }: { slug: string }) {
  useDocumentTitle('Contact support');
  const workspace = usePortalWorkspace(slug);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [website, setWebsite] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (workspace.isPending) return <Loading />;
  if (workspace.data && !workspace.data.web_form_enabled) {
    return (
      <section class="portal-card">
        <h1>Contact support</h1>
        <p>This team does not take requests from the web form. Please write to them by email.</p>
      </section>
    );
  }

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      const answer = await submitWebRequest(slug, { email, name, subject, description, website });
      recordRequestSubmitted(slug);
      setSent(answer.detail);
    } catch (error) {
      if (isApiError(error, 422)) setErrors(errorsByField(error.fieldErrors));
      else setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  if (sent) {
    return (
      <section class="portal-card" aria-labelledby="web-form-sent">
        <h1 id="web-form-sent">Check your email</h1>
        <p class="notice notice--success" role="status">
          {sent}
        </p>
      </section>
    );
  }
  return (
    <section class="portal-card" aria-labelledby="web-form">
      <h1 id="web-form">Contact {workspace.data?.name ?? 'support'}</h1>
      <form class="form" onSubmit={submit} noValidate>
        <Field label="Your email" error={errors.email}>
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
        <Field label="Your name (optional)" error={errors.name}>
          {({ id, describedBy }) => (
            <input
              id={id}
              autocomplete="name"
              value={name}
              aria-describedby={describedBy}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <RequestFields
          subject={subject}
          description={description}
          onSubject={setSubject}
          onDescription={setDescription}
          errors={errors}
        />
        <ArticleSuggestions workspace={slug} query={subject} />
        <div class="honeypot" aria-hidden="true">
          <label>
            Website
            <input
              tabIndex={-1}
              autocomplete="off"
              value={website}
              onInput={(e) => setWebsite(e.currentTarget.value)}
            />
          </label>
        </div>
        {failure && (
          <p class="notice notice--warning" role="alert">
            {failure}
          </p>
        )}
        <p class="muted small">
          We email you a link: your request is sent once you click it. You can add files on your request’s page then.
        </p>
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Sending…' : 'Send request'}
        </button>
      </form>
    </section>
  );
}

/** The web form's emailed link: opens the request and signs the requester in to the portal. */
export function ConfirmWebRequest({ slug }: { slug: string }) {
  useDocumentTitle('Confirming your request');
  const { route } = useLocation();
  const [token] = useState(tokenFromFragment);
  const [error, setError] = useState<string | null>(token ? null : 'This link is not valid.');
  useEffect(() => {
    if (!token) return;
    confirmWebRequest(slug, token)
      .then((request) => route(`/portal/${slug}/requests/${request.id}`, true))
      .catch((failure: unknown) =>
        setError(
          isApiError(failure, 422)
            ? 'This link has expired or was already used. If you confirmed it before, sign in to see your request.'
            : errorMessage(failure),
        ),
      );
  }, [slug, token]);
  if (!error) return <Loading label="Sending your request…" />;
  return (
    <section class="portal-card">
      <h1>We could not confirm this request</h1>
      <p class="notice notice--warning" role="alert">
        {error}
      </p>
      <p>
        <a href={`/portal/${slug}/sign-in`}>Sign in</a> or <a href={`/portal/${slug}/new`}>write a new request</a>.
      </p>
    </section>
  );
}
