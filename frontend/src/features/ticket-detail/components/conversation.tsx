import { formatDateTime, formatRelative } from '@/lib/format';
import type { Comment, Ticket } from '@/types/api';
import { AttachmentList } from './attachment-list';
import { ChannelBadge } from './channel-badge';
import { FormattedEmail } from './formatted-email';

/** The address an emailed comment came from: a requester's author id is their email address. */
function senderOf(comment: Comment): string | null {
  return comment.channel === 'email' && comment.author.type === 'requester' ? (comment.author.id ?? null) : null;
}

/** Who wrote it: a customer who wrote in without a display name is known by their address. */
function authorName(comment: Comment): string {
  return comment.author.name || (comment.author.type === 'requester' ? comment.author.id : '') || 'Someone';
}

function Message({ comment }: { comment: Comment }) {
  const kind = comment.public ? 'public' : 'internal';
  const author = authorName(comment);
  return (
    <li>
      <article
        class={`message message--${kind} message--by-${comment.author.type}`}
        aria-label={`${comment.public ? 'Public reply' : 'Internal note'} by ${author}`}
      >
        <header class="message__header">
          <span class="message__author">{author}</span>
          <span class={`message__kind message__kind--${kind}`}>
            {comment.public ? 'Public reply' : 'Internal note'}
          </span>
          <ChannelBadge channel={comment.channel} sender={senderOf(comment)} />
          <time dateTime={comment.created_at} title={formatDateTime(comment.created_at)}>
            {formatRelative(comment.created_at)}
          </time>
        </header>
        {comment.body === null ? (
          <p class="message__body muted">This internal note is not visible to your role.</p>
        ) : comment.format === 'markdown' && comment.body_html ? (
          // A Markdown reply: the server's rendering, after nh3's allow-list (no script, no styles, no
          // event handlers, http/https/mailto links only); everything else is shown as text.
          <div class="message__body message__body--formatted" dangerouslySetInnerHTML={{ __html: comment.body_html }} />
        ) : (
          <p class="message__body">{comment.body}</p>
        )}
        <FormattedEmail
          html={comment.format === 'markdown' ? null : comment.body_html}
          label={`${comment.public ? 'public reply' : 'internal note'} by ${author}`}
        />
        {comment.cc && comment.cc.length > 0 && <p class="message__cc muted small">Cc: {comment.cc.join(', ')}</p>}
        <AttachmentList ticketId={comment.ticket_id} attachments={comment.attachments} />
      </article>
    </li>
  );
}

/** The request itself, then every reply and note in order; all text rendered as text. */
export function Conversation({ ticket, comments }: { ticket: Ticket; comments: Comment[] }) {
  const ordered = [...comments].sort((a, b) => a.created_at.localeCompare(b.created_at));
  const request: Comment = {
    id: 'description',
    ticket_id: ticket.id,
    body: ticket.description,
    public: true,
    author: { type: 'requester', id: ticket.requester.email, name: ticket.requester.name || ticket.requester.email },
    created_at: ticket.created_at,
    channel: ticket.channel as Comment['channel'],
    attachments: ticket.attachments,
    body_html: ticket.description_html,
  };
  return (
    <ol class="conversation" aria-label="Conversation">
      <Message comment={request} />
      {ordered.map((comment) => (
        <Message key={comment.id} comment={comment} />
      ))}
    </ol>
  );
}
