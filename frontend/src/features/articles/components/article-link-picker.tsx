import { useEffect, useState } from 'preact/hooks';
import { searchArticles, type ArticleHit } from '../api/articles';

/** A small search over published articles; choosing one hands its title and public address back
 * (the reply box inserts a Markdown link). */
export function ArticleLinkPicker({ onPick }: { onPick: (hit: ArticleHit) => void }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<ArticleHit[]>([]);

  useEffect(() => {
    if (!open || query.trim().length < 2) {
      setHits([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      searchArticles(query, controller.signal)
        .then(setHits)
        .catch(() => undefined);
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [open, query]);

  if (!open) {
    return (
      <button type="button" class="button button--quiet" onClick={() => setOpen(true)}>
        Insert article link
      </button>
    );
  }
  return (
    <div class="article-picker" role="group" aria-label="Insert an article link">
      <label for="article-picker-search" class="visually-hidden">
        Search published articles
      </label>
      <input
        id="article-picker-search"
        type="search"
        placeholder="Search published articles…"
        value={query}
        autoFocus
        onInput={(event) => setQuery(event.currentTarget.value)}
        onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}
      />
      <p role="status" aria-live="polite" class="visually-hidden">
        {query.trim().length >= 2 ? `${hits.length} articles` : ''}
      </p>
      <ul class="article-picker__list">
        {hits.map((hit) => (
          <li key={hit.id}>
            <button
              type="button"
              class="button button--quiet"
              onClick={() => {
                onPick(hit);
                setOpen(false);
                setQuery('');
              }}
            >
              {hit.title} <span class="muted small">· {hit.category}</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" class="button button--quiet" onClick={() => setOpen(false)}>
        Close
      </button>
    </div>
  );
}
