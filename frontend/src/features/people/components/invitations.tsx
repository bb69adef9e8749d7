import { useMutation, useQuery, useQueryClient } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { isApiError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { ROLES, type Role } from '@/types/api';
import { invitationsKey, invite, listInvitations, resendInvitation, revokeInvitation } from '../api/people';

/**
 * Invite by email: the person gets a one-time link (7 days) to choose their name and password; until
 * they accept they are listed here as invited, and the link can be sent again or revoked.
 */
export function Invitations() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [notice, setNotice] = useState<string | null>(null);
  const pending = useQuery({ queryKey: invitationsKey, queryFn: ({ signal }) => listInvitations(signal) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: invitationsKey });
  const send = useMutation({
    mutationFn: () => invite(email.trim(), role),
    onSuccess: (sent) => {
      setNotice(`Invitation sent to ${sent.email}.`);
      setEmail('');
      void refresh();
    },
  });
  const resend = useMutation({
    mutationFn: resendInvitation,
    onSuccess: (sent) => {
      setNotice(`A new link was sent to ${sent.email}; the previous one no longer works.`);
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => revokeInvitation(id),
    onSuccess: () => {
      setNotice('Invitation revoked: its link no longer works.');
      void refresh();
    },
  });
  const errors = isApiError(send.error) ? errorsByField(send.error.fieldErrors) : {};
  const emailError = errors.email ?? (isApiError(send.error, 409) ? send.error.message : undefined) ?? undefined;
  const failure = resend.error ?? revoke.error ?? (send.isError && !emailError ? send.error : null);
  const items = pending.data?.items ?? [];

  return (
    <div class="stack">
      <form
        class="form form--inline"
        aria-labelledby="invite-heading"
        onSubmit={(e) => {
          e.preventDefault();
          setNotice(null);
          send.mutate();
        }}
      >
        <h2 id="invite-heading" class="panel__title">
          Invite a team member
        </h2>
        <Field label="Email" error={emailError} hint="They choose their own name and password from the emailed link.">
          {(ids) => (
            <input
              id={ids.id}
              type="email"
              required
              value={email}
              aria-describedby={ids.describedBy}
              aria-invalid={ids.invalid || undefined}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Role" error={errors.role}>
          {({ id }) => (
            <select id={id} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" class="button button--primary" disabled={send.isPending}>
          {send.isPending ? 'Sending…' : 'Send invitation'}
        </button>
      </form>
      {notice && (
        <p class="form__success" role="status">
          {notice}
        </p>
      )}
      {failure && (
        <p class="form__error" role="alert">
          {failure.message}
        </p>
      )}
      <section aria-labelledby="invited-heading" class="stack">
        <h3 id="invited-heading">Invited, not joined yet</h3>
        {items.length === 0 ? (
          <p class="muted">No pending invitations. Invite someone above: they appear here until they accept.</p>
        ) : (
          <ul class="invitation-list">
            {items.map((item) => (
              <li key={item.id} class="invitation-list__item">
                <span>
                  <strong>{item.email}</strong> · {item.role} ·{' '}
                  {item.expired ? (
                    <span class="form__error">link expired</span>
                  ) : (
                    <span class="muted">link works until {formatDateTime(item.expires_at)}</span>
                  )}
                </span>
                <span class="invitation-list__actions">
                  <button
                    type="button"
                    class="button button--small"
                    aria-label={`Send the invitation to ${item.email} again`}
                    disabled={resend.isPending}
                    onClick={() => resend.mutate(item.id)}
                  >
                    Send again
                  </button>
                  <button
                    type="button"
                    class="button button--small"
                    aria-label={`Revoke the invitation to ${item.email}`}
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate(item.id)}
                  >
                    Revoke
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
