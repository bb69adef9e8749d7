import { useMutation } from '@tanstack/preact-query';
import { useEffect, useRef, useState } from 'preact/hooks';
import { isApiError } from '@/lib/api-client';
import { useMe } from '@/lib/auth';
import { clearDraft, loadDraft, saveDraft } from '@/lib/drafts';
import { ArticleLinkPicker } from '@/features/articles/components/article-link-picker';
import { useLiveSocket } from '@/lib/live-socket';
import { useShortcut } from '@/lib/shortcuts';
import type { Comment, Ticket } from '@/types/api';
import { addComment } from '../api/ticket';
import { uploadAttachment } from '../api/uploads';
import { FormatToolbar } from './format-toolbar';

const TYPING_EVERY_MS = 3000;

interface PendingFile {
  key: string;
  name: string;
  size: number;
  uploadId?: string;
  error?: string;
}

/** Comma, semicolon or space separated addresses, as people paste them. */
export function parseCc(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((address) => address.trim())
    .filter(Boolean);
}

function fieldMessage(error: unknown, field: string): string | null {
  if (!isApiError(error)) return null;
  const found = error.fieldErrors.find((e) => e.field === field || e.field.startsWith(`${field}.`));
  return found ? found.message : null;
}

/**
 * Reply to the requester or leave an internal note; `r` and `n` jump here, Ctrl/Cmd+Enter sends.
 * Markdown (rendered by the server), CC on public replies, files uploaded to storage before sending.
 * The unsent text is kept per user and ticket, so leaving the page does not lose it.
 */
export function ReplyBox({
  ticketId,
  onSent,
}: {
  ticketId: string;
  onSent: (comment: Comment, ticket?: Ticket) => void;
}) {
  const userId = useMe().data?.user?.id ?? 'anonymous';
  const [body, setBody] = useState('');
  const [isPublic, setIsPublic] = useState(true);
  const [cc, setCc] = useState('');
  const [files, setFiles] = useState<PendingFile[]>([]);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const lastTypingSent = useRef(0);
  const restoredFor = useRef<string | null>(null);
  const shownTicket = useRef<string | null>(null);
  const socket = useLiveSocket();

  // Another ticket starts from its own draft (or empty); the same ticket once the user is known
  // takes a stored draft only if nothing was typed meanwhile.
  useEffect(() => {
    const key = `${userId}/${ticketId}`;
    if (restoredFor.current === key) return;
    restoredFor.current = key;
    const draft = loadDraft(userId, ticketId);
    const otherTicket = shownTicket.current !== ticketId;
    shownTicket.current = ticketId;
    if (otherTicket) setFiles([]);
    if (draft || otherTicket) {
      setBody((typed) => (otherTicket || !typed ? (draft?.body ?? '') : typed));
      setIsPublic(draft?.isPublic ?? true);
      setCc(draft?.cc ?? '');
    }
  }, [userId, ticketId]);

  useEffect(() => {
    if (restoredFor.current === `${userId}/${ticketId}`) saveDraft(userId, ticketId, { body, isPublic, cc });
  }, [userId, ticketId, body, isPublic, cc]);

  const send = useMutation({
    mutationFn: () =>
      addComment(ticketId, {
        body: body.trim(),
        isPublic,
        format: 'markdown',
        cc: isPublic ? parseCc(cc) : [],
        attachments: files.flatMap((file) => (file.uploadId ? [file.uploadId] : [])),
      }),
    onSuccess: ({ comment, ticket }) => {
      clearDraft(userId, ticketId);
      setBody('');
      setCc('');
      setFiles([]);
      onSent(comment, ticket);
    },
  });

  const uploading = files.some((file) => !file.uploadId && !file.error);
  const canSend = Boolean(body.trim()) && !send.isPending && !uploading;

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

  function submit() {
    if (canSend) send.mutate();
  }

  function addFiles(list: FileList | null) {
    for (const file of Array.from(list ?? [])) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      setFiles((current) => [...current, { key, name: file.name, size: file.size }]);
      uploadAttachment(ticketId, file).then(
        (uploadId) => setFiles((current) => current.map((f) => (f.key === key ? { ...f, uploadId } : f))),
        (error: unknown) => {
          const message = fieldMessage(error, 'content_type') ?? fieldMessage(error, 'size');
          const text = message ? `${file.name}: ${message}` : error instanceof Error ? error.message : 'Upload failed';
          setFiles((current) => current.map((f) => (f.key === key ? { ...f, error: text } : f)));
        },
      );
    }
  }

  const kind = isPublic ? 'public' : 'internal';
  const ccError = fieldMessage(send.error, 'cc');
  return (
    <form
      class={`reply-box reply-box--${kind}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
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
      {isPublic && (
        <div class="reply-box__cc">
          <label for="reply-cc">Cc</label>
          <input
            id="reply-cc"
            type="text"
            inputMode="email"
            autoComplete="off"
            value={cc}
            placeholder="other@example.com, …"
            aria-invalid={ccError ? true : undefined}
            aria-describedby={ccError ? 'reply-cc-error' : undefined}
            onInput={(e) => setCc(e.currentTarget.value)}
          />
          {ccError && (
            <p id="reply-cc-error" class="field__error">
              {ccError}
            </p>
          )}
        </div>
      )}
      <FormatToolbar textarea={textarea} onChange={setBody} />
      <label for="reply-body" class="visually-hidden">
        {isPublic ? 'Public reply to the requester' : 'Internal note for your team'}
      </label>
      <textarea
        id="reply-body"
        ref={textarea}
        rows={5}
        value={body}
        aria-keyshortcuts="r n Control+Enter Meta+Enter"
        aria-describedby="reply-help"
        placeholder={isPublic ? 'Write a reply the requester will see…' : 'Write a note only your team will see…'}
        onInput={(e) => onInput(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submit();
          }
        }}
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
      {files.length > 0 && (
        <ul class="reply-box__files" aria-label="Attachments">
          {files.map((file) => (
            <li key={file.key}>
              <span>{file.name}</span>{' '}
              <span class={file.error ? 'form__error' : 'muted small'} role={file.error ? 'alert' : undefined}>
                {file.error ?? (file.uploadId ? 'ready' : 'uploading…')}
              </span>{' '}
              <button
                type="button"
                class="button button--small"
                aria-label={`Remove ${file.name}`}
                onClick={() => setFiles((current) => current.filter((f) => f.key !== file.key))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="reply-box__footer">
        <p id="reply-help" class="muted small">
          {isPublic ? 'The requester will receive this reply.' : 'Internal notes are never shown to the requester.'}{' '}
          Markdown works: **bold**, _italic_, [links](https://…), lists. Ctrl+Enter (⌘+Enter) sends.
        </p>
        <label class="button button--small reply-box__attach">
          Attach files
          <input
            type="file"
            multiple
            class="visually-hidden"
            onChange={(e) => {
              addFiles(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </label>
        <button type="submit" class="button button--primary" disabled={!canSend}>
          {send.isPending ? 'Sending…' : isPublic ? 'Send reply' : 'Add note'}
        </button>
      </div>
      {send.isError && !ccError && (
        <p class="form__error" role="alert">
          {fieldMessage(send.error, 'attachments') ?? send.error.message}
        </p>
      )}
    </form>
  );
}
