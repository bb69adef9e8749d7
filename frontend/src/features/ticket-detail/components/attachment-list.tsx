import { useState } from 'preact/hooks';
import { errorMessage } from '@/components/status';
import { formatBytes } from '@/lib/format';
import type { Attachment } from '@/types/api';
import { attachmentLink, openDownload } from '../api/attachments';

type Open = (url: string) => void;

function AttachmentItem({ ticketId, attachment, open }: { ticketId: string; attachment: Attachment; open: Open }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const errorId = `attachment-error-${attachment.id}`;
  const download = async () => {
    setState({ busy: true, error: null });
    try {
      const link = await attachmentLink(ticketId, attachment.id);
      open(link.url);
      setState({ busy: false, error: null });
    } catch (error) {
      setState({ busy: false, error: errorMessage(error) });
    }
  };
  return (
    <li class="attachment">
      <span class="attachment__name">{attachment.filename}</span>
      <span class="attachment__meta muted">
        {attachment.content_type} · {formatBytes(attachment.size)}
        {attachment.inline && ' · shown in the message'}
      </span>
      <button
        type="button"
        class="button button--small"
        onClick={() => void download()}
        disabled={state.busy}
        aria-label={`Download ${attachment.filename}`}
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
        <AttachmentItem key={attachment.id} ticketId={ticketId} attachment={attachment} open={open} />
      ))}
    </ul>
  );
}
