import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { Empty, ErrorMessage, Loading } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import type { EmailAddress, EmailSettings as Settings, Suppression } from '@/types/api';
import {
  addEmailAddress,
  liftSuppression,
  removeEmailAddress,
  sendTestEmail,
  useEmailSettings,
  useSuppressions,
  useTestEmailStatus,
} from '../api/email-settings';

/** The workspace's email in: its addresses, how to forward mail to them, and a test that loops for real. */
export function EmailSettings() {
  const settings = useEmailSettings();
  if (settings.isPending) return <Loading label="Loading the email settings…" />;
  if (settings.isError) return <ErrorMessage error={settings.error} onRetry={() => void settings.refetch()} />;
  return (
    <div class="stack">
      <SupportAddress settings={settings.data} />
      <TestEmail />
      <section class="panel stack" aria-labelledby="email-addresses-heading">
        <h2 id="email-addresses-heading">More addresses</h2>
        <p class="muted">Mail to one of these opens tickets in its queue (for example billing questions).</p>
        <AddressList addresses={settings.data.addresses} />
        <AddAddressForm />
      </section>
      <Suppressions />
    </div>
  );
}

const REASONS: Record<Suppression['reason'], string> = { bounce: 'Bounced', complaint: 'Marked as spam' };

/** Addresses not emailed any more; lifting one lets mail go to it again (say, after the customer fixed it). */
function Suppressions() {
  const queryClient = useQueryClient();
  const list = useSuppressions();
  const lift = useMutation({
    mutationFn: (suppression: Suppression) => liftSuppression(suppression.address),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.emailSuppressions }),
  });
  return (
    <section class="panel stack" aria-labelledby="suppressions-heading">
      <h2 id="suppressions-heading">Addresses we no longer email</h2>
      <p class="muted">
        Mail to these bounced for good or was marked as spam, so replies are not sent to them. Lift one once the
        customer's mailbox works again.
      </p>
      {list.isPending && <Loading label="Loading suppressed addresses…" />}
      {list.isError && <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />}
      {lift.isError && <ErrorMessage error={lift.error} />}
      {list.data && list.data.items.length === 0 && <Empty title="Every address can be emailed." />}
      {list.data && list.data.items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Suppressed addresses">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Why</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((suppression) => (
                <tr key={suppression.address}>
                  <td>
                    <code class="email-address">{suppression.address}</code>
                  </td>
                  <td title={suppression.detail}>{REASONS[suppression.reason]}</td>
                  <td>{formatDateTime(suppression.at)}</td>
                  <td>
                    <button
                      type="button"
                      class="button button--small"
                      disabled={lift.isPending}
                      aria-label={`Lift the suppression of ${suppression.address}`}
                      onClick={() => lift.mutate(suppression)}
                    >
                      Lift
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data?.next_cursor && <p class="muted">Showing the first 100.</p>}
    </section>
  );
}

function SupportAddress({ settings }: { settings: Settings }) {
  return (
    <section class="panel stack" aria-labelledby="support-address-heading">
      <h2 id="support-address-heading">Support address</h2>
      <p>
        Mail to <code class="email-address">{settings.support_address}</code> opens a ticket; replies thread onto it.
      </p>
      <h3>Forwarding your own address</h3>
      <p class="forwarding-instructions">{settings.forwarding_instructions}</p>
    </section>
  );
}

function AddressList({ addresses }: { addresses: EmailAddress[] }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (address: EmailAddress) => removeEmailAddress(address.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.emailSettings }),
  });
  if (addresses.length === 0) return <Empty title="No other addresses yet." />;
  return (
    <>
      {remove.isError && <ErrorMessage error={remove.error} />}
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Additional addresses">
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Queue</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {addresses.map((address) => (
              <tr key={address.id}>
                <td>
                  <code class="email-address">{address.address}</code>
                </td>
                <td>{address.queue}</td>
                <td>{formatDateTime(address.created_at)}</td>
                <td>
                  <button
                    type="button"
                    class="button button--small button--danger"
                    disabled={remove.isPending}
                    aria-label={`Remove ${address.address}`}
                    onClick={() => remove.mutate(address)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function AddAddressForm() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [queue, setQueue] = useState('');
  const add = useMutation({
    mutationFn: addEmailAddress,
    onSuccess: () => {
      setName('');
      setQueue('');
      void queryClient.invalidateQueries({ queryKey: queryKeys.emailSettings });
    },
  });
  const errors = isApiError(add.error) ? errorsByField(add.error.fieldErrors) : {};
  const otherError = add.isError && !errors.name && !errors.queue;
  return (
    <form
      class="form"
      aria-labelledby="add-address-heading"
      onSubmit={(e) => {
        e.preventDefault();
        if (!add.isPending) add.mutate({ name: name.trim(), queue: queue.trim() });
      }}
    >
      <h3 id="add-address-heading">Add an address</h3>
      <div class="form__pair">
        <Field label="Name" hint="The part after '+' in the new address, e.g. billing" error={errors.name}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              value={name}
              required
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Queue" hint="Tickets from this address open in this queue" error={errors.queue}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              value={queue}
              required
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onInput={(e) => setQueue(e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      {otherError && <ErrorMessage error={add.error} />}
      <button type="submit" class="button button--primary" disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Add address'}
      </button>
    </form>
  );
}

function TestEmail() {
  const [messageId, setMessageId] = useState<string | null>(null);
  const send = useMutation({ mutationFn: sendTestEmail, onSuccess: (answer) => setMessageId(answer.message_id) });
  const status = useTestEmailStatus(messageId);
  const received = status.data?.status === 'received' ? status.data : null;
  return (
    <section class="panel stack" aria-labelledby="test-email-heading">
      <h2 id="test-email-heading">Test</h2>
      <p class="muted">
        Sends a real email to the support address. When it arrives, it becomes a ticket, and this page links to it.
      </p>
      <div>
        <button
          type="button"
          class="button"
          disabled={send.isPending || (messageId !== null && !received)}
          onClick={() => {
            setMessageId(null);
            send.mutate();
          }}
        >
          {send.isPending ? 'Sending…' : 'Send a test email'}
        </button>
      </div>
      {send.isError && <ErrorMessage error={send.error} />}
      <div role="status" aria-live="polite">
        {messageId !== null && !received && !status.isError && (
          <p>
            <span class="spinner" aria-hidden="true" /> Test email sent; waiting for it to arrive…
          </p>
        )}
        {received && (
          <p>
            The test email arrived as{' '}
            {received.ticket_id ? (
              <a href={`/tickets/${encodeURIComponent(received.ticket_id)}`}>ticket #{received.ticket_number}</a>
            ) : (
              'a ticket'
            )}
            . Email in works.
          </p>
        )}
      </div>
      {status.isError && <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />}
    </section>
  );
}
