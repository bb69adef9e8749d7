import { api } from '@/lib/api-client';
import type { AttachmentLink } from '@/types/api';

/** A presigned link to one attachment, valid for a few minutes: asked for at the moment of the download. */
export function attachmentLink(ticketId: string, attachmentId: string): Promise<AttachmentLink> {
  return api.get<AttachmentLink>(
    `/tickets/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(attachmentId)}`,
  );
}

/**
 * Follows the link in this tab: the file is always served as a download (`Content-Disposition: attachment`),
 * so the page stays; a new window opened after the request would be stopped by popup blockers.
 */
export function openDownload(url: string): void {
  window.location.assign(url);
}
