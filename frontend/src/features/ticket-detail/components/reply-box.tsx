import { useMutation } from '@tanstack/preact-query';
import { useRef, useState } from 'preact/hooks';
import { ArticleLinkPicker } from '@/features/articles/components/article-link-picker';
import { useLiveSocket } from '@/lib/live-socket';
import { useShortcut } from '@/lib/shortcuts';
import type { Comment, Ticket } from '@/types/api';
import { addComment } from '../api/ticket';

const TYPING_EVERY_MS = 3000;

/** Reply to the requester or leave an internal note; `r` and `n` jump here. */
export function ReplyBox({
  ticketId,
  onSent,
}: {
  ticketId: string;
  onSent: (comment: Comment, ticket?: Ticket) => void;
}) {
  const [body, setBody] = useState('');
  const [isPublic, setIsPublic] = useState(true);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const lastTypingSent = useRef(0);
  const socket = useLiveSocket();
  const send = useMutation({
    mutationFn: (message: { body: string; isPublic: boolean }) => addComment(ticketId, message.body, message.isPublic),
    onSuccess: ({ comment, ticket }) => {
      setBody('');
      onSent(comment, ticket);
    },
  });

  const focusAs = (asPublic: boolean) => {
    setIsPublic(asPublic);
    textarea.current?.focus();
  };
  useShortcut('r', () => focusAs(true));
  useShortcut('n', () => focusAs(false));

  function onInput(value: string) {
    setBody(value);
    const now = Date.now();
    if (now - lastTypingSent.current > TYPING_EVERY_MS) {
      lastTypingSent.current = now;
      socket?.send({ action: 'typing', ticket_id: ticketId });
    }
  }

  const kind = isPublic ? 'public' : 'internal';
  return (
    <form
      class={`reply-box reply-box--${kind}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (body.trim()) send.mutate({ body: body.trim(), isPublic });
      }}
    >
      <fieldset class="segmented">
        <legend class="visually-hidden">Kind of message</legend>
        <label class={isPublic ? 'is-selected' : undefined}>
          <input type="radio" name="kind" value="public" checked={isPublic} onChange={() => setIsPublic(true)} />
          Public reply
        </label>
        <label class={!isPublic ? 'is-selected' : undefined}>
          <input type="radio" name="kind" value="internal" checked={!isPublic} onChange={() => setIsPublic(false)} />
          Internal note
        </label>
      </fieldset>
      <label for="reply-body" class="visually-hidden">
        {isPublic ? 'Public reply to the requester' : 'Internal note for your team'}
      </label>
      <textarea
        id="reply-body"
        ref={textarea}
        rows={5}
        value={body}
        aria-keyshortcuts="r n"
        aria-describedby="reply-help"
        placeholder={isPublic ? 'Write a reply the requester will see…' : 'Write a note only your team will see…'}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {isPublic && (
        <ArticleLinkPicker
          onPick={(hit) => {
            const link = `[${hit.title}](${hit.url})`;
            setBody((current) => (current && !current.endsWith('\n') ? `${current}\n${link}` : `${current}${link}`));
            textarea.current?.focus();
          }}
        />
      )}
      <div class="reply-box__footer">
        <p id="reply-help" class="muted small">
          {isPublic ? 'The requester will receive this reply.' : 'Internal notes are never shown to the requester.'}
        </p>
        <button type="submit" class="button button--primary" disabled={send.isPending || !body.trim()}>
          {send.isPending ? 'Sending…' : isPublic ? 'Send reply' : 'Add note'}
        </button>
      </div>
      {send.isError && (
        <p class="form__error" role="alert">
          {send.error.message}
        </p>
      )}
    </form>
  );
}
