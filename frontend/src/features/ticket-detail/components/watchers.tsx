import { useId, useRef, useState } from 'preact/hooks';
import { errorMessage } from '@/components/status';
import type { User } from '@/types/api';
import { useChangeWatcher, type WatcherChange } from '../api/watchers';

interface WatchersPanelProps {
  ticketId: string;
  watcherIds: string[];
  users: User[];
  /** The users list (for names) is still on its way. */
  namesLoading?: boolean;
  myUserId: string | undefined;
  /** `tickets.assign` (leads, admins): add and remove teammates. Anyone may watch the ticket. */
  canManage: boolean;
}

/** Who watches the ticket, a Watch toggle for the signed-in user, and adding or removing teammates. */
export function WatchersPanel({ ticketId, watcherIds, users, namesLoading, myUserId, canManage }: WatchersPanelProps) {
  const change = useChangeWatcher(ticketId);
  const heading = useRef<HTMLHeadingElement>(null);
  const [announcement, setAnnouncement] = useState('');
  const hintId = useId();
  const nameOf = (id: string) =>
    users.find((user) => user.id === id)?.name ?? (namesLoading ? 'Loading name…' : 'Unknown user');
  const watching = myUserId !== undefined && watcherIds.includes(myUserId);
  const watchers = [...watcherIds].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  const candidates = users.filter((u) => u.active && u.id !== myUserId && !watcherIds.includes(u.id));

  const apply = (next: WatcherChange, said: string, afterwards?: () => void) => {
    if (change.isPending) return;
    setAnnouncement('');
    // The promise, not per-call callbacks: those are dropped if the observer is not subscribed yet.
    change.mutateAsync(next).then(
      () => {
        setAnnouncement(said);
        afterwards?.();
      },
      () => undefined, // shown from change.error
    );
  };
  // The removed row and its button are gone: keep keyboard focus in the panel.
  const remove = (id: string) =>
    apply({ userId: id, watching: false }, `${nameOf(id)} no longer watches this ticket.`, () =>
      heading.current?.focus(),
    );

  return (
    <section class="panel watchers" aria-labelledby="watchers-heading" aria-busy={change.isPending}>
      <h2 id="watchers-heading" class="panel__title" tabIndex={-1} ref={heading}>
        Watchers {change.isPending && <span class="muted small">Saving…</span>}
      </h2>
      <p class="field__hint" id={hintId}>
        Watchers get an email when someone comments, the status changes or the SLA is breached (
        <a href="/settings/notifications">your email settings</a>).
      </p>

      {myUserId && (
        <button
          type="button"
          class="button watch-toggle"
          aria-pressed={watching}
          aria-describedby={hintId}
          onClick={() =>
            apply(
              { userId: 'me', watching: !watching },
              watching ? 'You no longer watch this ticket.' : 'You now watch this ticket.',
            )
          }
        >
          <span class="watch-toggle__mark" aria-hidden="true">
            {watching ? '✓' : '+'}
          </span>
          Watch
        </button>
      )}

      {watchers.length === 0 ? (
        <p class="muted watchers__empty">No one is watching this ticket.</p>
      ) : (
        <ul class="watchers__list" aria-label="People watching this ticket">
          {watchers.map((id) => (
            <li key={id} class="watchers__item">
              <span class="watchers__name">
                {nameOf(id)}
                {id === myUserId && <span class="muted"> (you)</span>}
              </span>
              {(canManage || id === myUserId) && (
                <button type="button" class="button button--quiet button--small" onClick={() => remove(id)}>
                  Remove <span class="visually-hidden">{nameOf(id)} from the watchers</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}

      {canManage && (
        <AddWatcher
          candidates={candidates}
          onAdd={(user) =>
            apply(
              { userId: user.id, watching: true },
              `${user.name} now watches this ticket.`,
              // The last one added: the picker goes away, so keep keyboard focus in the panel.
              candidates.length === 1 ? () => heading.current?.focus() : undefined,
            )
          }
        />
      )}

      {change.isError && (
        <p class="form__error" role="alert">
          Could not change the watchers: {errorMessage(change.error)}
        </p>
      )}
      <p class="visually-hidden" role="status">
        {announcement}
      </p>
    </section>
  );
}

function AddWatcher({ candidates, onAdd }: { candidates: User[]; onAdd: (user: User) => void }) {
  const [chosen, setChosen] = useState('');
  const id = useId();
  if (candidates.length === 0) return null;
  return (
    <form
      class="watchers__add"
      onSubmit={(e) => {
        e.preventDefault();
        const user = candidates.find((u) => u.id === chosen);
        if (!user) return;
        onAdd(user);
        setChosen('');
      }}
    >
      <label for={id}>Add a teammate</label>
      <div class="watchers__add-row">
        <select id={id} required value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
          <option value="">Choose…</option>
          {[...candidates]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((user) => (
              <option key={user.id} value={user.id}>
                {user.name}
              </option>
            ))}
        </select>
        <button type="submit" class="button">
          Add <span class="visually-hidden">as a watcher</span>
        </button>
      </div>
    </form>
  );
}
