import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { isApiError } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { ROLES, type Role } from '@/types/api';
import { createUser, type NewUser } from '../api/users';

const EMPTY: NewUser = { name: '', email: '', role: 'agent', password: '' };

export function NewUserForm() {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<NewUser>(EMPTY);
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: createUser,
    onSuccess: (user) => {
      setCreated(user.name);
      setValues(EMPTY);
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
    },
  });
  const errors = isApiError(create.error) ? errorsByField(create.error.fieldErrors) : {};
  const set = (field: keyof NewUser) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
    setValues({ ...values, [field]: e.currentTarget.value });

  return (
    <form
      class="form form--inline"
      aria-labelledby="new-user-heading"
      onSubmit={(e) => {
        e.preventDefault();
        setCreated(null);
        create.mutate({ ...values, email: values.email.trim(), name: values.name.trim() });
      }}
    >
      <h2 id="new-user-heading" class="panel__title">
        Add a team member
      </h2>
      {created && (
        <p class="form__success" role="status">
          {created} can now sign in.
        </p>
      )}
      {create.isError && (
        <p class="form__error" role="alert">
          {create.error.message}
        </p>
      )}
      <Field label="Name" error={errors.name}>
        {({ id }) => <input id={id} required value={values.name} onInput={set('name')} />}
      </Field>
      <Field label="Email" error={errors.email}>
        {({ id }) => <input id={id} type="email" required value={values.email} onInput={set('email')} />}
      </Field>
      <Field label="Role" error={errors.role}>
        {({ id }) => (
          <select
            id={id}
            value={values.role}
            onChange={(e) => setValues({ ...values, role: e.currentTarget.value as Role })}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Initial password" error={errors.password}>
        {({ id }) => (
          <input
            id={id}
            type="password"
            autoComplete="new-password"
            required
            value={values.password}
            onInput={set('password')}
          />
        )}
      </Field>
      <button type="submit" class="button button--primary" disabled={create.isPending}>
        {create.isPending ? 'Adding…' : 'Add user'}
      </button>
    </form>
  );
}
