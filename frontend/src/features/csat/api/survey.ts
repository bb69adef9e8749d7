import { api } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';

export type Survey = components['schemas']['SurveyOut'];
export type RatingValue = components['schemas']['RatingIn']['rating'];

const path = (token: string) => `/csat/${encodeURIComponent(token)}`;

export function fetchSurvey(token: string, signal?: AbortSignal): Promise<Survey> {
  return api.get<Survey>(path(token), { auth: false, signal });
}

export function answerSurvey(token: string, rating: RatingValue, comment?: string): Promise<Survey> {
  return api.post<Survey>(path(token), comment === undefined ? { rating } : { rating, comment }, { auth: false });
}
