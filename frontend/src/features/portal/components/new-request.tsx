import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Field, errorsByField } from '@/components/field';
import { errorMessage } from '@/components/status';
import { ArticleSuggestions } from '@/features/help-center/components/article-suggestions';
import { recordRequestSubmitted } from '@/features/help-center/api/help';
import { isApiError } from '@/lib/api-client';
import { useDocumentTitle } from '@/lib/document-title';
import { useNewRequest } from '../api/portal-api';
import { FilePicker, usePortalFiles } from './portal-files';

/** A new request by the signed-in requester, with files uploaded while it is written. */
export function NewRequest({ slug }: { slug: string }) {
  useDocumentTitle('New request');
  const { route } = useLocation();
  const create = useNewRequest(slug);
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const files = usePortalFiles(slug, 'new-request');
  const fields = isApiError(create.error, 422) ? errorsByField(create.error.fieldErrors) : {};

  async function submit(event: Event) {
    event.preventDefault();
    if (files.uploading) return;
    const requestId = files.ready.length ? files.requestId() : null;
    const body = requestId
      ? { subject, description, request_id: requestId, attachments: files.ready }
      : { subject, description };
    const created = await create.mutateAsync(body).catch(() => null);
    if (!created) return;
    recordRequestSubmitted(slug);
    route(`/portal/${slug}/requests/${created.id}`);
  }

  return (
    <section class="portal-card" aria-labelledby="new-request">
      <h1 id="new-request">New request</h1>
      <form class="form" onSubmit={submit} noValidate>
        <RequestFields
          subject={subject}
          description={description}
          onSubject={setSubject}
          onDescription={setDescription}
          errors={fields}
        />
        <ArticleSuggestions workspace={slug} query={subject} />
        <FilePicker files={files} />
        {(fields.attachments || fields.request_id) && (
          <p class="form__error" role="alert">
            {fields.attachments ?? fields.request_id}
          </p>
        )}
        {create.isError && !isApiError(create.error, 422) && (
          <p class="notice notice--warning" role="alert">
            {errorMessage(create.error)}
          </p>
        )}
        <button type="submit" class="button button--primary" disabled={create.isPending || files.uploading}>
          {create.isPending ? 'Sending…' : 'Send request'}
        </button>
      </form>
    </section>
  );
}

export function RequestFields(props: {
  subject: string;
  description: string;
  onSubject: (value: string) => void;
  onDescription: (value: string) => void;
  errors: Record<string, string>;
}) {
  return (
    <>
      <Field label="Subject" error={props.errors.subject}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            required
            maxLength={250}
            value={props.subject}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => props.onSubject(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="How can we help?" error={props.errors.description}>
        {({ id, describedBy, invalid }) => (
          <textarea
            id={id}
            rows={6}
            required
            value={props.description}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => props.onDescription(e.currentTarget.value)}
          />
        )}
      </Field>
    </>
  );
}
