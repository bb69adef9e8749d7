import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchSuggestions, recordFunnelStep, type ArticleHit } from '../api/help';

export interface ArticleSuggestionsProps {
  /** The workspace's slug (the portal's /portal/:slug). */
  workspace: string;
  /** What the visitor has typed so far (the request's subject). */
  query: string;
}

const DEBOUNCE_MS = 300;
const MIN_CHARS = 3;

/**
 * Help-centre articles that may answer the request being typed, for the portal's new-request form and
 * the widget. Debounced; the count is announced in a polite live region; articles open in a new tab so
 * the form keeps what was typed. Records the deflection funnel: "suggested" the first time articles
 * show, "opened" when one is opened (the form records "submitted" with `recordRequestSubmitted`).
 */
export function ArticleSuggestions({ workspace, query }: ArticleSuggestionsProps) {
  const [items, setItems] = useState<ArticleHit[]>([]);
  const suggested = useRef(false);

  useEffect(() => {
    const text = query.trim();
    if (text.length < MIN_CHARS) {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetchSuggestions(workspace, text, controller.signal)
        .then((answer) => {
          setItems(answer.items);
          if (answer.items.length && !suggested.current) {
            suggested.current = true;
            recordFunnelStep(workspace, 'suggested');
          }
        })
        .catch(() => undefined); // suggestions are a help, never an obstacle to the form
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [workspace, query]);

  const announcement = items.length
    ? `${items.length} help article${items.length === 1 ? '' : 's'} may answer your question.`
    : '';
  return (
    <div class="suggestions">
      <p role="status" aria-live="polite" class="visually-hidden">
        {announcement}
      </p>
      {items.length > 0 && (
        <section aria-labelledby="suggestions-title">
          <h2 id="suggestions-title" class="suggestions__title">
            These articles may answer your question
          </h2>
          <ul class="suggestions__list">
            {items.map((item) => (
              <li key={item.id}>
                <a
                  href={`/portal/${encodeURIComponent(workspace)}/help/${encodeURIComponent(item.id)}`}
                  target="_blank"
                  rel="noopener"
                  onClick={() => recordFunnelStep(workspace, 'opened', item.id)}
                >
                  {item.title}
                  <span class="visually-hidden"> (opens in a new tab)</span>
                </a>
                <p class="suggestions__summary">{item.summary}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
