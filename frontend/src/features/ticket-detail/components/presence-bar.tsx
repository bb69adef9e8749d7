import { useCallback, useEffect, useState } from 'preact/hooks';
import { type LiveEvent, useLiveEvents, useLiveSocket, useLiveStatus } from '@/lib/live-socket';

interface PresentUser {
  id: string;
  name: string;
  typing: boolean;
}

// The server forgets a viewer after 45 s of silence; repeat well within that.
const VIEWING_EVERY_MS = 20_000;

/** Tells the server this agent is viewing the ticket, and shows who else is (and who is typing). */
export function PresenceBar({ ticketId, myUserId }: { ticketId: string; myUserId: string | undefined }) {
  const socket = useLiveSocket();
  const status = useLiveStatus();
  const [others, setOthers] = useState<PresentUser[]>([]);

  useEffect(() => {
    if (!socket || status !== 'live') return;
    const announce = () => socket.send({ action: 'viewing', ticket_id: ticketId });
    announce();
    const timer = setInterval(announce, VIEWING_EVERY_MS);
    return () => clearInterval(timer);
  }, [socket, status, ticketId]);

  useEffect(() => setOthers([]), [ticketId]);

  useLiveEvents(
    useCallback(
      (event: LiveEvent) => {
        if (event.type !== 'presence' || event.ticket_id !== ticketId || !Array.isArray(event.users)) return;
        setOthers((event.users as PresentUser[]).filter((user) => user.id !== myUserId));
      },
      [ticketId, myUserId],
    ),
  );

  if (others.length === 0) return null;
  const typing = others.filter((user) => user.typing);
  return (
    <p class={`presence${typing.length ? ' presence--typing' : ''}`} role="status">
      <span class="presence__avatars" aria-hidden="true">
        {others.slice(0, 4).map((user) => (
          <span class="avatar" key={user.id}>
            {user.name.charAt(0).toUpperCase()}
          </span>
        ))}
      </span>
      {typing.length > 0
        ? `${typing.map((u) => u.name).join(', ')} ${typing.length === 1 ? 'is' : 'are'} typing a reply on this ticket`
        : `Also viewing: ${others.map((u) => u.name).join(', ')}`}
    </p>
  );
}
