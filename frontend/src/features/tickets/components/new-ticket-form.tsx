import { useMutation } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { errorsByField, Field } from '@/components/field';
import { isApiError } from '@/lib/api-client';
import { PRIORITY_LABELS } from '@/lib/format';
import { TICKET_PRIORITIES, type TicketPriority } from '@/types/api';
import { createdTicketId, createTicket, type CreateTicketInput } from '../api/create-ticket';

export function NewTicketForm({ onCreated }: { onCreated: (id: string) => void }) {
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [priority, setPriority] = useState<TicketPriority>('normal');
  const [queue, setQueue] = useState('');
  const [tags, setTags] = useState('');
  const mutation = useMutation({
    mutationFn: (input: CreateTicketInput) => createTicket(input),
    onSuccess: (result) => onCreated(createdTicketId(result)),
  });
  const fieldErrors = isApiError(mutation.error) ? errorsByField(mutation.error.fieldErrors) : {};

  function submit(event: Event) {
    event.preventDefault();
    mutation.mutate({
      subject: subject.trim(),
      description,
      requester: { email: email.trim(), name: name.trim() },
      priority,
      queue: queue.trim() || undefined,
      tags: tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    });
  }

  return (
    <form class="form form--wide" onSubmit={submit}>
      {mutation.isError && (
        <p class="form__error" role="alert">
          {mutation.error.message}
        </p>
      )}
      <Field label="Subject" error={fieldErrors.subject}>
        {({ id, describedBy }) => (
          <input
            id={id}
            required
            value={subject}
            aria-describedby={describedBy}
            onInput={(e) => setSubject(e.currentTarget.value)}
          />
        )}
      </Field>
      <div class="form__pair">
        <Field label="Requester email" error={fieldErrors.email}>
          {({ id, describedBy }) => (
            <input
              id={id}
              type="email"
              required
              value={email}
              aria-describedby={describedBy}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Requester name" error={fieldErrors.name}>
          {({ id }) => <input id={id} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
      </div>
      <Field label="Description" error={fieldErrors.description}>
        {({ id, describedBy }) => (
          <textarea
            id={id}
            rows={6}
            required
            value={description}
            aria-describedby={describedBy}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        )}
      </Field>
      <div class="form__pair">
        <Field label="Priority">
          {({ id }) => (
            <select id={id} value={priority} onChange={(e) => setPriority(e.currentTarget.value as TicketPriority)}>
              {TICKET_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_LABELS[p]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Queue">
          {({ id }) => <input id={id} value={queue} onInput={(e) => setQueue(e.currentTarget.value)} />}
        </Field>
      </div>
      <Field label="Tags" hint="Separate tags with commas." error={fieldErrors.tags}>
        {({ id, describedBy }) => (
          <input id={id} value={tags} aria-describedby={describedBy} onInput={(e) => setTags(e.currentTarget.value)} />
        )}
      </Field>
      <button type="submit" class="button button--primary" disabled={mutation.isPending}>
        {mutation.isPending ? 'Creating…' : 'Create ticket'}
      </button>
    </form>
  );
}
