import { useState } from 'preact/hooks';
import { Field } from '@/components/field';
import { ErrorMessage, Loading, errorMessage } from '@/components/status';
import { formatDateTime } from '@/lib/format';
import { useDocumentTitle } from '@/lib/document-title';
import { useMarkSolved, useMyRequest, useReply } from '../api/portal-api';
import { FilePicker, PortalAttachments, usePortalFiles } from './portal-files';
import { usePortalLive } from './portal-live';
import { RatingPanel } from './rating-panel';

/**
 * One request: its public conversation (text, never HTML) with its files, live; reply with files, mark
 * it solved, and once solved answer "How did we do?".
 */
export function RequestView({ slug, id }: { slug: string; id: string }) {
  const conversation = useMyRequest(slug, id);
  const live = usePortalLive(slug);
  const reply = useReply(slug, id);
  const solve = useMarkSolved(slug, id);
  const [body, setBody] = useState('');
  const files = usePortalFiles(slug, { ticketId: id });
  useDocumentTitle(
    conversation.data ? `#${conversation.data.request.number} ${conversation.data.request.subject}` : 'Request',
  );

  if (conversation.isPending) return <Loading />;
  if (conversation.isError)
    return <ErrorMessage error={conversation.error} onRetry={() => void conversation.refetch()} />;
  const { request, messages, rating_asked: ratingAsked } = conversation.data;

  async function send(event: Event) {
    event.preventDefault();
    if (!body.trim() || files.uploading) return;
    await reply
      .mutateAsync({ body, attachments: files.ready })
      .then(() => {
        setBody('');
        files.clear();
      })
      .catch(() => undefined);
  }

  return (
    <article aria-labelledby="request-subject">
      <p class="breadcrumb">
        <a href={`/portal/${slug}`}>← My requests</a>
      </p>
      <div class="portal__title-row">
        <h1 id="request-subject">{request.subject}</h1>
        <span class={`badge badge--status-${request.status}`}>{request.status === 'open' ? 'Open' : 'Solved'}</span>
      </div>
      <p class="muted small">
        #{request.number} · opened {formatDateTime(request.created_at)} ·{' '}
        <span role="status">{live === 'live' ? 'Live' : 'Updates paused'}</span>
      </p>
      <ol class="portal-thread" aria-label="Conversation">
        <li class="portal-message portal-message--mine">
          <p class="portal-message__meta">
            <strong>You</strong> · {formatDateTime(request.created_at)}
          </p>
          <p class="portal-message__body">{request.description}</p>
          <PortalAttachments slug={slug} ticketId={request.id} files={request.attachments} />
        </li>
        {messages.map((message) => (
          <li key={message.id} class={`portal-message${message.from_requester ? ' portal-message--mine' : ''}`}>
            <p class="portal-message__meta">
              <strong>{message.from_requester ? 'You' : message.author_name}</strong> ·{' '}
              {formatDateTime(message.created_at)}
            </p>
            <p class="portal-message__body">{message.body}</p>
            <PortalAttachments slug={slug} ticketId={request.id} files={message.attachments} />
          </li>
        ))}
      </ol>
      {(ratingAsked || request.rating) && (
        <RatingPanel slug={slug} id={request.id} given={request.rating ?? null} asked={ratingAsked} />
      )}
      <form class="form" onSubmit={send}>
        <Field label="Your reply" error={reply.isError ? errorMessage(reply.error) : undefined}>
          {({ id: fieldId, describedBy, invalid }) => (
            <textarea
              id={fieldId}
              rows={4}
              value={body}
              required
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setBody(e.currentTarget.value)}
            />
          )}
        </Field>
        <FilePicker files={files} />
        <div class="portal__actions">
          <button
            type="submit"
            class="button button--primary"
            disabled={reply.isPending || !body.trim() || files.uploading}
          >
            {reply.isPending ? 'Sending…' : request.status === 'solved' ? 'Reply and reopen' : 'Send reply'}
          </button>
          {request.status === 'open' && (
            <button type="button" class="button" disabled={solve.isPending} onClick={() => solve.mutate()}>
              Mark as solved
            </button>
          )}
        </div>
        {solve.isError && (
          <p class="notice notice--warning" role="alert">
            {errorMessage(solve.error)}
          </p>
        )}
      </form>
    </article>
  );
}
