import { useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { isApiError } from '@/lib/api-client';
import { requestPasswordReset } from '../api/sessions';
import { rememberedWorkspace } from './sign-in-form';

/**
 * Asks for a password-reset link. The server answers the same whether or not the account exists, so
 * the page does too: "if there is an account, we sent a link".
 */
export function ForgotPasswordForm() {
  const [workspace, setWorkspace] = useState(rememberedWorkspace);
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<{ workspace: string; email: string; detail: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      const input = { workspace: workspace.trim(), email: email.trim() };
      const accepted = await requestPasswordReset(input);
      setSent({ ...input, detail: accepted.detail });
    } catch (failure) {
      if (isApiError(failure, 429))
        setError(failure.problem.detail || 'Too many requests. Wait a minute and try again.');
      else if (isApiError(failure)) {
        setFieldErrors(errorsByField(failure.fieldErrors));
        setError(failure.fieldErrors.length ? 'Check the highlighted fields.' : failure.message);
      } else setError('Sending the link failed. Check your connection and try again.');
    } finally {
      setPending(false);
    }
  }

  if (sent !== null) {
    return (
      <section class="form" role="status" aria-labelledby="reset-sent-heading">
        <h2 id="reset-sent-heading">Check your email</h2>
        <p>{sent.detail}</p>
        <p>
          Workspace <strong>{sent.workspace}</strong>, email <strong>{sent.email}</strong>. No email after a few
          minutes? Look in your spam folder, or check both and try again.
        </p>
        <button type="button" class="button button--wide" onClick={() => setSent(null)}>
          Try again
        </button>
        <a class="button button--primary button--wide" href="/sign-in">
          Back to sign in
        </a>
      </section>
    );
  }

  return (
    <form class="form" onSubmit={submit}>
      <p>Enter your workspace and email, and we will send you a link to choose a new password.</p>
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
      <Field label="Workspace" error={fieldErrors.workspace}>
        {(ids) => (
          <input
            id={ids.id}
            name="workspace"
            autoComplete="organization"
            autoCapitalize="off"
            required
            aria-describedby={ids.describedBy}
            aria-invalid={ids.invalid || undefined}
            value={workspace}
            onInput={(e) => setWorkspace(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Email" error={fieldErrors.email}>
        {(ids) => (
          <input
            id={ids.id}
            name="email"
            type="email"
            autoComplete="username"
            required
            aria-describedby={ids.describedBy}
            aria-invalid={ids.invalid || undefined}
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit" class="button button--primary button--wide" disabled={pending}>
        {pending ? 'Sending…' : 'Send me a link'}
      </button>
    </form>
  );
}
