import { useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { isApiError } from '@/lib/api-client';
import { requestSignUp, slugify, type SignUpInput } from '../api/sessions';

const EMPTY: SignUpInput = { workspace_name: '', workspace_slug: '', name: '', email: '', password: '' };

/** Asks for a workspace, then says to check the inbox: nothing exists until the emailed link is followed. */
export function SignUpForm() {
  const [values, setValues] = useState<SignUpInput>(EMPTY);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [slugEdited, setSlugEdited] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function update(field: keyof SignUpInput, value: string) {
    setValues((current) => {
      const next = { ...current, [field]: value };
      if (field === 'workspace_name' && !slugEdited) next.workspace_slug = slugify(value);
      return next;
    });
  }

  async function submit(event: Event) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      const email = values.email.trim();
      await requestSignUp({ ...values, email, workspace_slug: values.workspace_slug.trim() });
      setValues(EMPTY); // the password is not kept in memory once it has been sent
      setSentTo(email);
    } catch (failure) {
      if (isApiError(failure)) {
        setFieldErrors(errorsByField(failure.fieldErrors));
        setError(failure.fieldErrors.length ? 'Check the highlighted fields.' : failure.message);
      } else setError('Sign-up failed. Try again.');
    } finally {
      setPending(false);
    }
  }

  const input =
    (field: keyof SignUpInput, type = 'text', autoComplete = 'off') =>
    (ids: { id: string; describedBy?: string; invalid: boolean }) => (
      <input
        id={ids.id}
        name={field}
        type={type}
        required
        autoComplete={autoComplete}
        aria-describedby={ids.describedBy}
        aria-invalid={ids.invalid || undefined}
        value={values[field]}
        onInput={(e) => {
          if (field === 'workspace_slug') setSlugEdited(true);
          update(field, e.currentTarget.value);
        }}
      />
    );

  if (sentTo !== null) {
    return (
      <section class="form" role="status" aria-labelledby="check-email-heading">
        <h2 id="check-email-heading">Check your email</h2>
        <p>
          We sent a link to <strong>{sentTo}</strong>. Open it within 24 hours to confirm your address and create the
          workspace; nothing is created until then.
        </p>
        <p>No email after a few minutes? Look in your spam folder, or sign up again.</p>
        <button type="button" class="button button--wide" onClick={() => setSentTo(null)}>
          Sign up again
        </button>
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
      <Field label="Workspace name" error={fieldErrors.workspace_name}>
        {input('workspace_name', 'text', 'organization')}
      </Field>
      <Field
        label="Workspace address"
        hint="Lowercase letters, digits and dashes; you sign in with it."
        error={fieldErrors.workspace_slug}
      >
        {input('workspace_slug')}
      </Field>
      <Field label="Your name" error={fieldErrors.name}>
        {input('name', 'text', 'name')}
      </Field>
      <Field label="Email" error={fieldErrors.email}>
        {input('email', 'email', 'email')}
      </Field>
      <Field
        label="Password"
        hint="Three or four unrelated words make a strong password; use it nowhere else."
        error={fieldErrors.password}
      >
        {input('password', 'password', 'new-password')}
      </Field>
      <button type="submit" class="button button--primary button--wide" disabled={pending}>
        {pending ? 'Sending…' : 'Create workspace'}
      </button>
    </form>
  );
}
