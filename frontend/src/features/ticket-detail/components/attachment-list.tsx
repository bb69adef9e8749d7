import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { errorMessage } from '@/components/status';
import { formatBytes } from '@/lib/format';
import type { Attachment } from '@/types/api';
import { attachmentLink, openDownload } from '../api/attachments';

type Open = (url: string) => void;

/** One file with its Download button: asks for a short-lived link when pressed, says so when that fails.
 * Shared by the agents' conversation and the customer portal, which differ only in where the link comes from. */
export function DownloadItem({
  id,
  filename,
  meta,
  link,
  open = openDownload,
}: {
  id: string;
  filename: string;
  meta: ComponentChildren;
  link: () => Promise<{ url: string }>;
  open?: Open;
}) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const errorId = `attachment-error-${id}`;
  const download = async () => {
    setState({ busy: true, error: null });
    try {
      open((await link()).url);
      setState({ busy: false, error: null });
    } catch (error) {
      setState({ busy: false, error: errorMessage(error) });
    }
  };
  return (
    <li class="attachment">
      <span class="attachment__name">{filename}</span>
      <span class="attachment__meta muted">{meta}</span>
      <button
        type="button"
        class="button button--small"
        onClick={() => void download()}
        disabled={state.busy}
        aria-label={`Download ${filename}`}
        aria-describedby={state.error ? errorId : undefined}
      >
        {state.busy ? 'Preparing…' : 'Download'}
      </button>
      {state.error && (
        <p id={errorId} class="attachment__error" role="alert">
          The download failed: {state.error}
        </p>
      )}
    </li>
  );
}

/** The files of one message: name, type and size, each downloaded through a short-lived link. */
export function AttachmentList({
  ticketId,
  attachments,
  open = openDownload,
}: {
  ticketId: string;
  /** Absent in a comment cached before attachments existed. */
  attachments: Attachment[] | undefined;
  open?: Open;
}) {
  if (!attachments?.length) return null;
  return (
    <ul
      class="attachments"
      aria-label={`${attachments.length} ${attachments.length === 1 ? 'attachment' : 'attachments'}`}
    >
      {attachments.map((attachment) => (
        <DownloadItem
          key={attachment.id}
          id={attachment.id}
          filename={attachment.filename}
          meta={
            <>
              {attachment.content_type} · {formatBytes(attachment.size)}
              {attachment.inline && ' · shown in the message'}
            </>
          }
          link={() => attachmentLink(ticketId, attachment.id)}
          open={open}
        />
      ))}
    </ul>
  );
}
