import { useMutation, useQuery } from '@tanstack/preact-query';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { errorMessage } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import type { Merged, Ticket } from '@/types/api';
import { findTickets, mergeTicket } from '../api/macros';

/**
 * "Merge into…": pick the ticket to keep (the requester's other tickets, or search by words), then confirm. The duplicate is closed and its conversation carried over.
 */
export function MergeDialog({
  ticket,
  onMerged,
  onClose,
}: {
  ticket: Ticket;
  onMerged: (result: Merged) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [words, setWords] = useState('');
  const [typed, setTyped] = useState('');
  const [chosen, setChosen] = useState<Ticket | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  // The step changes inside an open dialog: move focus to the new step's control ourselves.
  useEffect(() => (chosen ? confirmButton.current?.focus() : searchBox.current?.focus()), [chosen]);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const element = dialog.current;
    if (element && typeof element.showModal === 'function') element.showModal();
    else element?.setAttribute('open', '');
    return () => opener?.focus?.();
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => setWords(typed.replace(/^#/, '')), 250);
    return () => clearTimeout(timer);
  }, [typed]);

  const found = useQuery({
    queryKey: ['tickets', 'merge-candidates', ticket.id, words],
    queryFn: ({ signal }) => findTickets(words, ticket.requester.email, signal),
  });
  const candidates = (found.data?.items ?? []).filter((t) => t.id !== ticket.id && t.status !== 'closed');

  const merge = useMutation({
    mutationFn: (target: Ticket) => mergeTicket(ticket.id, target.id, ticket.version),
    onSuccess: onMerged,
  });
  const failure = merge.error
    ? isApiError(merge.error, 409)
      ? 'This ticket changed meanwhile; close this dialog and try again.'
      : errorMessage(merge.error)
    : null;

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby={`${id}-title`} onClose={onClose} onCancel={onClose}>
      <div class="dialog__header">
        <h2 id={`${id}-title`}>Merge #{ticket.number} into another ticket</h2>
        <button type="button" class="button button--quiet" onClick={onClose}>
          Close
        </button>
      </div>
      {chosen ? (
        <div class="stack">
          <p>
            Merge <strong>#{ticket.number}</strong> “{ticket.subject}” into <strong>#{chosen.number}</strong> “
            {chosen.subject}”?
          </p>
          <p class="muted">
            Its conversation is carried over, #{ticket.number} is closed, and {ticket.requester.email} is emailed once
            that the conversation continues in #{chosen.number}. This cannot be undone.
          </p>
          {failure && (
            <p class="form__error" role="alert">
              {failure}
            </p>
          )}
          <div class="form__actions">
            <button
              type="button"
              class="button button--danger"
              disabled={merge.isPending}
              onClick={() => merge.mutate(chosen)}
              ref={confirmButton}
            >
              {merge.isPending ? 'Merging…' : `Merge into #${chosen.number}`}
            </button>
            <button type="button" class="button" onClick={() => setChosen(null)}>
              Back
            </button>
          </div>
        </div>
      ) : (
        <div class="stack">
          <div class="field">
            <label for={`${id}-search`}>Find the ticket to keep</label>
            <input
              id={`${id}-search`}
              type="search"
              value={typed}
              ref={searchBox}
              aria-describedby={`${id}-hint`}
              onInput={(event) => setTyped(event.currentTarget.value)}
            />
            <p class="field__hint" id={`${id}-hint`}>
              Words from its subject or text. Empty: {ticket.requester.email}'s other tickets.
            </p>
          </div>
          {found.isPending && <p role="status">Searching…</p>}
          {found.isError && <p class="field__error">{errorMessage(found.error)}</p>}
          {found.data && candidates.length === 0 && (
            <p role="status" class="muted">
              No open ticket found.
            </p>
          )}
          <ul class="merge-candidates" aria-label="Tickets to merge into">
            {candidates.map((candidate) => (
              <li key={candidate.id}>
                <button
                  type="button"
                  class="button button--quiet merge-candidates__pick"
                  onClick={() => setChosen(candidate)}
                >
                  <strong>#{candidate.number}</strong> {candidate.subject}{' '}
                  <span class="muted small">
                    · {candidate.status.replace('_', ' ')} · {candidate.requester.email}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </dialog>
  );
}
