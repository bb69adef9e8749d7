import { useState } from 'preact/hooks';
import { Loading } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import { useDocumentTitle } from '@/lib/document-title';
import { useHelpArticle, useHelpCentre, useHelpSearch, type ArticleHit } from '../api/help';

function articleHref(workspace: string, id: string): string {
  return `/portal/${encodeURIComponent(workspace)}/help/${encodeURIComponent(id)}`;
}

function HitList({ workspace, items }: { workspace: string; items: ArticleHit[] }) {
  return (
    <ul class="help__list">
      {items.map((item) => (
        <li key={item.id}>
          <a href={articleHref(workspace, item.id)}>{item.title}</a>
          <p class="help__summary">{item.summary}</p>
        </li>
      ))}
    </ul>
  );
}

function Shell({ workspace, name, children }: { workspace: string; name: string; children: preact.ComponentChildren }) {
  return (
    <div class="help">
      <a href="#help-main" class="skip-link">
        Skip to content
      </a>
      <header class="help__header">
        <a class="help__brand" href={`/portal/${encodeURIComponent(workspace)}/help`}>
          {name ? `${name} help centre` : 'Help centre'}
        </a>
        {/* when no article answers: write to the team (the web form), or follow what was asked before */}
        <nav aria-label="Support" class="help__nav">
          <a href={`/portal/${encodeURIComponent(workspace)}/new`}>Contact support</a>
          <a href={`/portal/${encodeURIComponent(workspace)}`}>Your requests</a>
        </nav>
      </header>
      <main id="help-main" class="help__main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

function Problem({ error }: { error: unknown }) {
  const text = isApiError(error, 404)
    ? 'There is nothing here. Check the address, or start from the help centre.'
    : isApiError(error, 429)
      ? 'Too many requests from your address. Wait a minute, then try again.'
      : 'The help centre could not be loaded. Try again in a moment.';
  return (
    <p role="alert" class="form__error">
      {text}
    </p>
  );
}

export function HelpHome({ workspace }: { workspace: string }) {
  const centre = useHelpCentre(workspace);
  const [query, setQuery] = useState('');
  const results = useHelpSearch(workspace, query);
  const name = centre.data?.workspace ?? '';
  useDocumentTitle(name ? `${name} help centre` : 'Help centre');
  const searching = query.trim().length >= 2;
  return (
    <Shell workspace={workspace} name={name}>
      <h1>How can we help?</h1>
      <form role="search" class="help__search" onSubmit={(event) => event.preventDefault()}>
        <label for="help-search">Search the help centre</label>
        <input
          id="help-search"
          type="search"
          value={query}
          autoComplete="off"
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
      </form>
      <p role="status" aria-live="polite" class="muted">
        {searching && results.data
          ? `${results.data.items.length} article${results.data.items.length === 1 ? '' : 's'} found`
          : ''}
      </p>
      {searching && results.data && <HitList workspace={workspace} items={results.data.items} />}
      {!searching && centre.isPending && <Loading />}
      {centre.isError && <Problem error={centre.error} />}
      {!searching &&
        centre.data?.categories.map((category) => (
          <section key={category.name} class="help__category" aria-labelledby={`cat-${category.name}`}>
            <h2 id={`cat-${category.name}`}>{category.name}</h2>
            <HitList workspace={workspace} items={category.articles} />
          </section>
        ))}
      {!searching && centre.data && centre.data.categories.length === 0 && <p>No articles yet.</p>}
    </Shell>
  );
}

export function HelpArticle({ workspace, article }: { workspace: string; article: string }) {
  const found = useHelpArticle(workspace, article);
  useDocumentTitle(found.data?.title ?? 'Help centre');
  return (
    <Shell workspace={workspace} name={found.data?.workspace ?? ''}>
      <nav aria-label="Breadcrumb" class="help__crumbs">
        <a href={`/portal/${encodeURIComponent(workspace)}/help`}>All articles</a>
        {found.data && <span> › {found.data.category}</span>}
      </nav>
      {found.isPending && <Loading />}
      {found.isError && <Problem error={found.error} />}
      {found.data && (
        <article class="help__article">
          <h1>{found.data.title}</h1>
          <p class="muted small">Updated {new Date(found.data.updated_at).toLocaleDateString()}</p>
          {/* The server renders Markdown with raw HTML off and sanitises the result (nh3 allow-list). */}
          <div class="prose" dangerouslySetInnerHTML={{ __html: found.data.html }} />
        </article>
      )}
    </Shell>
  );
}
