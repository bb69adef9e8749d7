import { useState } from 'preact/hooks';
import { Empty, Loading } from '@/components/status';
import { ArticleEditor } from '@/features/articles/components/article-editor';
import { useArticles, useCsatSettings, useSaveCsatSettings } from '@/features/articles/api/articles';
import { useCan } from '@/lib/auth';
import { useDocumentTitle } from '@/lib/document-title';

function SurveySwitch() {
  const settings = useCsatSettings(true);
  const save = useSaveCsatSettings();
  if (!settings.data) return null;
  return (
    <section class="stack" aria-labelledby="surveys-title">
      <h2 id="surveys-title">Satisfaction surveys</h2>
      <label>
        <input
          type="checkbox"
          checked={settings.data.surveys_enabled}
          disabled={save.isPending}
          onChange={(event) => save.mutate(event.currentTarget.checked)}
        />{' '}
        Ask requesters “How did we do?” when their ticket is solved
      </label>
    </section>
  );
}

export function ArticlesPage() {
  useDocumentTitle('Articles');
  const articles = useArticles();
  const [editing, setEditing] = useState<string | null>(null);
  const canSettings = useCan('settings.manage');
  return (
    <div class="page stack">
      <h1>Articles</h1>
      <p class="muted">The help centre’s articles. Published ones are public and suggested to customers.</p>
      <button type="button" class="button" onClick={() => setEditing(null)}>
        New article
      </button>
      {articles.isPending && <Loading />}
      {articles.data && articles.data.items.length === 0 && (
        <Empty title="No articles yet">
          <p>
            Write answers to the questions customers ask most: published articles appear in your help centre and are
            suggested while customers type a new request. Start with the form below.
          </p>
        </Empty>
      )}
      {articles.data && articles.data.items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Articles">
          <table class="data-table">
            <caption class="visually-hidden">Articles, last updated first</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Category</th>
                <th scope="col">Status</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {articles.data.items.map((a) => (
                <tr key={a.id}>
                  <td>
                    <button type="button" class="button--quiet link-button" onClick={() => setEditing(a.id)}>
                      {a.title}
                    </button>
                  </td>
                  <td>{a.category}</td>
                  <td>{a.status}</td>
                  <td class="small">{new Date(a.updated_at).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ArticleEditor id={editing} onSaved={setEditing} />
      {canSettings && <SurveySwitch />}
    </div>
  );
}
