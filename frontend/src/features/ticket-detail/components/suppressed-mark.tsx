import { formatDateTime } from '@/lib/format';
import { useRequesterEmail } from '../api/requester-email';

const WHY = { bounce: 'their mailbox rejected our mail for good', complaint: 'they marked our mail as spam' } as const;

/** Tells the agent that public replies will not reach the requester by email, and why. */
export function SuppressedMark({ ticketId }: { ticketId: string }) {
  const status = useRequesterEmail(ticketId);
  const suppression = status.data?.suppression;
  if (!suppression) return null;
  return (
    <p class="suppressed-mark" role="note">
      <strong>Email not delivered:</strong> {suppression.address} is suppressed because {WHY[suppression.reason]} (
      <time dateTime={suppression.at}>{formatDateTime(suppression.at)}</time>). Replies are not emailed to them; an
      admin can lift this in Email settings.
    </p>
  );
}
