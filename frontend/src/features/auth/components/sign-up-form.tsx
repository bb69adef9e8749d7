import { useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { isApiError } from '@/lib/api-client';
import { signUp, slugify, type SignUpInput } from '../api/sessions';

const EMPTY: SignUpInput = { workspace_name: '', workspace_slug: '', name: '', email: '', password: '' };

export function SignUpForm({ onSignedUp }: { onSignedUp: () => void }) {
  const [values, setValues] = useState<SignUpInput>(EMPTY);
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
      await signUp({ ...values, email: values.email.trim(), workspace_slug: values.workspace_slug.trim() });
      onSignedUp();
    } catch (failure) {
      if (isApiError(failure)) {
        setFieldErrors(errorsByField(failure.fieldErrors));
        setError(failure.status === 409 ? 'That workspace address is taken. Choose another.' : failure.message);
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
      <Field label="Password" hint="Use a long password that you use nowhere else." error={fieldErrors.password}>
        {input('password', 'password', 'new-password')}
      </Field>
      <button type="submit" class="button button--primary button--wide" disabled={pending}>
        {pending ? 'Creating workspace…' : 'Create workspace'}
      </button>
    </form>
  );
}
