import { useEffect, useState } from 'preact/hooks';
import { isApiError } from '@/lib/api-client';
import { previewMarkdown, useArticle, useArticleVersions, useSaveArticle, type ArticleIn } from '../api/articles';

const EMPTY: ArticleIn = { title: '', body: '', category: '', status: 'draft' };

/** Write or edit one article; the preview is the server's rendering, exactly what the help centre shows. */
export function ArticleEditor({ id, onSaved }: { id: string | null; onSaved: (id: string) => void }) {
  const article = useArticle(id);
  const versions = useArticleVersions(id);
  const save = useSaveArticle();
  const [draft, setDraft] = useState<ArticleIn>(EMPTY);
  const [preview, setPreview] = useState('');
  const [message, setMessage] = useState('');

  useEffect(() => {
    const a = article.data;
    setDraft(a ? { title: a.title, body: a.body, category: a.category, status: a.status } : EMPTY);
  }, [id, article.data?.version]);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      previewMarkdown(draft.body, controller.signal)
        .then(setPreview)
        .catch(() => undefined);
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [draft.body]);

  const submit = (status: ArticleIn['status']) => (event: Event) => {
    event.preventDefault();
    const body = { ...draft, status, ...(id && article.data ? { version: article.data.version } : {}) };
    save.mutate(
      { id, body },
      {
        onSuccess: (saved) => {
          setMessage(status === 'published' ? 'Published.' : 'Saved as a draft.');
          onSaved(saved.id);
        },
      },
    );
  };
  const error = save.error;
  const fieldError = (name: string) =>
    isApiError(error) ? error.fieldErrors.find((f) => f.field === name)?.message : undefined;
  const set = (name: keyof ArticleIn) => (event: Event) => {
    setMessage('');
    setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value });
  };

  return (
    <form class="form form--wide stack" onSubmit={submit(draft.status ?? 'draft')}>
      <h2>{id ? 'Edit article' : 'New article'}</h2>
      <div class="field">
        <label for="article-title">Title</label>
        <input id="article-title" value={draft.title} onInput={set('title')} aria-invalid={!!fieldError('title')} />
        {fieldError('title') && <p class="field__error">{fieldError('title')}</p>}
      </div>
      <div class="field">
        <label for="article-category">Category</label>
        <input id="article-category" value={draft.category} onInput={set('category')} />
        {fieldError('category') && <p class="field__error">{fieldError('category')}</p>}
      </div>
      <div class="form__pair">
        <div class="field">
          <label for="article-body">Body (Markdown)</label>
          <textarea id="article-body" rows={14} value={draft.body} onInput={set('body')} />
        </div>
        <section class="field" aria-labelledby="preview-title">
          <h3 id="preview-title">Preview</h3>
          <div class="prose article-preview" dangerouslySetInnerHTML={{ __html: preview }} />
        </section>
      </div>
      {isApiError(error) && (
        <p role="alert" class="form__error">
          {error.status === 409
            ? 'Someone saved this article meanwhile. Reload it and re-apply your change.'
            : error.message}
        </p>
      )}
      <p role="status" class="form__success">
        {message}
      </p>
      <div class="form--inline">
        <button type="button" class="button" onClick={submit('draft')} disabled={save.isPending}>
          Save draft
        </button>
        <button type="button" class="button button--primary" onClick={submit('published')} disabled={save.isPending}>
          Publish
        </button>
      </div>
      {id && versions.data && (
        <details>
          <summary>History ({versions.data.items.length} versions)</summary>
          <ol class="small">
            {versions.data.items.map((v) => (
              <li key={v.number}>
                v{v.number} · {v.status} · “{v.title}” by {v.author.name} on {new Date(v.at).toLocaleString()}
              </li>
            ))}
          </ol>
        </details>
      )}
    </form>
  );
}
