import { ErrorMessage } from '@/components/status';
import { BUILT_IN_VIEWS, canonicalSearch, useSavedViews, viewFiltersToSearch } from '../api/views';

function ViewLink({
  name,
  search,
  current,
  count,
}: {
  name: string;
  search: string;
  current: string;
  count?: number | null;
}) {
  const isCurrent = canonicalSearch(search) === current;
  return (
    <li>
      <a href={search ? `/?${search}` : '/'} class="view-link" aria-current={isCurrent ? 'page' : undefined}>
        <span class="view-link__name">{name}</span>
        {typeof count === 'number' && (
          <span class="view-link__count" aria-label={`${count} tickets`}>
            {count}
          </span>
        )}
      </a>
    </li>
  );
}

/** Built-in and saved views; the one matching the current filters is marked current. */
export function ViewsNav({ search }: { search: string }) {
  const current = canonicalSearch(search);
  const saved = useSavedViews();
  return (
    <nav class="views-nav" aria-label="Views">
      <h2 class="views-nav__heading">Views</h2>
      <ul>
        {BUILT_IN_VIEWS.map((view) => (
          <ViewLink key={view.id} name={view.name} search={view.search} current={current} />
        ))}
      </ul>
      <h2 class="views-nav__heading">Saved views</h2>
      {saved.isPending && <p class="muted small">Loading saved views…</p>}
      {saved.isError && <ErrorMessage error={saved.error} onRetry={() => void saved.refetch()} />}
      {saved.data && saved.data.items.length === 0 && (
        <p class="muted small">None yet. Filter the list, then save it as a view.</p>
      )}
      {saved.data && saved.data.items.length > 0 && (
        <ul>
          {saved.data.items.map((view) => (
            <ViewLink
              key={view.id}
              name={view.shared ? `${view.name} (shared)` : view.name}
              search={viewFiltersToSearch(view.filters)}
              current={current}
              count={view.count}
            />
          ))}
        </ul>
      )}
    </nav>
  );
}
