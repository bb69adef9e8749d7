import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useShortcut } from '@/lib/shortcuts';
import type { Comment, Ticket } from '@/types/api';
import { MacroPalette } from './macro-palette';
import { MergeDialog } from './merge-dialog';

/** Ctrl+K (⌘K on a Mac) opens the palette even from a text field: it is the palette's own key. */
function useCommandKey(open: () => void, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        open();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** The ticket page's actions: apply a macro (button, Ctrl/⌘+K or `m`) and a menu with "Merge into…". */
export function TicketActions({
  ticket,
  onApplied,
}: {
  ticket: Ticket;
  onApplied: (ticket: Ticket, comment: Comment | null) => void;
}) {
  const { route } = useLocation();
  const [palette, setPalette] = useState(false);
  const [menu, setMenu] = useState(false);
  const [merging, setMerging] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const open = ticket.status !== 'closed';
  useCommandKey(() => setPalette(true), open);
  useShortcut('m', () => setPalette(true), open);

  if (!open) return null;
  return (
    <div class="ticket-actions">
      <button type="button" class="button" onClick={() => setPalette(true)} aria-keyshortcuts="Control+K Meta+K m">
        Apply macro <kbd class="ticket-actions__key">Ctrl K</kbd>
      </button>
      <div class="ticket-actions__menu">
        <button
          type="button"
          class="button button--quiet"
          aria-expanded={menu}
          aria-controls="ticket-more-actions"
          onClick={() => setMenu(!menu)}
        >
          More actions
        </button>
        {menu && (
          <ul id="ticket-more-actions" class="ticket-actions__list">
            <li>
              <button
                type="button"
                class="button button--quiet"
                onClick={() => {
                  setMenu(false);
                  setMerging(true);
                }}
              >
                Merge into…
              </button>
            </li>
          </ul>
        )}
      </div>
      <p class="visually-hidden" role="status">
        {announcement}
      </p>
      {palette && (
        <MacroPalette
          ticket={ticket}
          onClose={() => setPalette(false)}
          onApplied={(updated, comment, macro) => {
            setPalette(false);
            setAnnouncement(`Applied “${macro.name}” to #${updated.number}.`);
            onApplied(updated, comment);
          }}
        />
      )}
      {merging && (
        <MergeDialog
          ticket={ticket}
          onClose={() => setMerging(false)}
          onMerged={(result) => {
            setMerging(false);
            route(`/tickets/${result.target.id}`);
          }}
        />
      )}
    </div>
  );
}
