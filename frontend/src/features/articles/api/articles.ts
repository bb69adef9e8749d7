import { useMutation, useQuery, useQueryClient } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';

type Schemas = components['schemas'];
export type Article = Schemas['ArticleOut'];
export type ArticleSummary = Schemas['ArticleSummaryOut'];
export type ArticleIn = Schemas['ArticleIn'];
export type ArticleHit = Schemas['ArticleHitOut'];

export function useArticles() {
  return useQuery({
    queryKey: ['articles'],
    queryFn: ({ signal }) => api.get<Schemas['ArticleListOut']>('/articles', { signal }),
  });
}

export function useArticle(id: string | null) {
  return useQuery({
    queryKey: ['articles', id],
    queryFn: ({ signal }) => api.get<Article>(`/articles/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: !!id,
  });
}

export function useArticleVersions(id: string | null) {
  return useQuery({
    queryKey: ['articles', id, 'versions'],
    queryFn: ({ signal }) =>
      api.get<Schemas['ArticleVersionListOut']>(`/articles/${encodeURIComponent(id ?? '')}/versions`, { signal }),
    enabled: !!id,
  });
}

export function useSaveArticle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: ArticleIn & { version?: number } }) =>
      id ? api.patch<Article>(`/articles/${encodeURIComponent(id)}`, body) : api.post<Article>('/articles', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['articles'] }),
  });
}

export function previewMarkdown(body: string, signal?: AbortSignal): Promise<string> {
  return api.post<Schemas['PreviewOut']>('/articles/preview', { body }, { signal }).then((answer) => answer.html);
}

export function searchArticles(query: string, signal?: AbortSignal): Promise<ArticleHit[]> {
  return api.get<Schemas['ArticleSearchOut']>('/articles/search', { query: { q: query }, signal }).then((a) => a.items);
}

export function useCsatSettings(enabled: boolean) {
  return useQuery({
    queryKey: ['settings', 'csat'],
    queryFn: ({ signal }) => api.get<Schemas['CsatSettingsOut']>('/settings/csat', { signal }),
    enabled,
  });
}

export function useSaveCsatSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (surveys_enabled: boolean) =>
      api.put<Schemas['CsatSettingsOut']>('/settings/csat', { surveys_enabled }),
    onSuccess: (answer) => client.setQueryData(['settings', 'csat'], answer),
  });
}
