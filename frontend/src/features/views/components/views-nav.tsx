import { ErrorMessage } from '@/components/status';
import { useRefetchOnLiveEvents } from '@/lib/live-refetch';
import { queryKeys } from '@/lib/query-keys';
import { canonicalSearch, isViewSearch, navViews, type NavView, useViews } from '../api/views';

/** Counts follow live changes, but a busy workspace refreshes them at most every few seconds. */
const COUNT_REFRESH_MS = 3000;

function ViewCount({ count, capped }: { count: number; capped: boolean }) {
  const shown = count.toLocaleString('en-US');
  const label = capped ? `more than ${shown} tickets` : `${shown} ${count === 1 ? 'ticket' : 'tickets'}`;
  return (
    <span class="view-link__count" aria-label={label}>
      {capped ? `${shown}+` : shown}
    </span>
  );
}

function ViewLink({ view, current }: { view: NavView; current: string }) {
  const name = view.shared && !view.builtin ? `${view.name} (shared)` : view.name;
  const problemId = `view-problem-${view.id}`;
  return (
    <li>
      <a
        href={view.search ? `/?${view.search}` : '/'}
        class="view-link"
        aria-current={isViewSearch(view, current) ? 'page' : undefined}
        aria-describedby={view.problem ? problemId : undefined}
      >
        <span class="view-link__name">{name}</span>
        {view.problem ? (
          <span class="view-link__broken">Can’t run</span>
        ) : (
          view.count !== null && <ViewCount count={view.count} capped={view.countCapped ?? false} />
        )}
      </a>
      {view.problem && (
        <p id={problemId} class="view-link__problem">
          This view can’t be run: {view.problem}
        </p>
      )}
    </li>
  );
}

/** Built-in and saved views with their counts; the one matching the current filters is marked current. */
export function ViewsNav({ search }: { search: string }) {
  const current = canonicalSearch(search);
  const views = useViews();
  useRefetchOnLiveEvents(queryKeys.views, { delayMs: COUNT_REFRESH_MS });
  const { builtin, saved } = navViews(views.data, views.isError);
  return (
    <nav class="views-nav" aria-label="Views">
      <h2 class="views-nav__heading">Views</h2>
      {views.isPending && <p class="muted small">Loading views…</p>}
      {builtin.length > 0 && (
        <ul>
          {builtin.map((view) => (
            <ViewLink key={view.id} view={view} current={current} />
          ))}
        </ul>
      )}
      <h2 class="views-nav__heading">Saved views</h2>
      {views.isError && <ErrorMessage error={views.error} onRetry={() => void views.refetch()} />}
      {views.data && saved.length === 0 && (
        <p class="muted small">None yet. Filter the list, then save it as a view.</p>
      )}
      {saved.length > 0 && (
        <ul>
          {saved.map((view) => (
            <ViewLink key={view.id} view={view} current={current} />
          ))}
        </ul>
      )}
    </nav>
  );
}
