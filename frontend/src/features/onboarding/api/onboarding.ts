import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';

export type Checklist = components['schemas']['OnboardingOut'];
export type ChecklistStep = components['schemas']['OnboardingStepOut'];

export const onboardingKey = ['onboarding'] as const;

export function useChecklist(enabled: boolean) {
  return useQuery({
    queryKey: onboardingKey,
    queryFn: ({ signal }) => api.get<Checklist>('/onboarding', { signal }),
    // read afresh each time the home page opens: the steps tick from what was just done elsewhere
    staleTime: 0,
    enabled,
  });
}

export function markStep(step: string, done: boolean): Promise<Checklist> {
  return api.put<Checklist>(`/onboarding/steps/${encodeURIComponent(step)}`, { done });
}

export function setDismissed(dismissed: boolean): Promise<Checklist> {
  return api.put<Checklist>('/onboarding/dismissed', { dismissed });
}

export function addSampleTickets(count: number): Promise<Checklist> {
  return api.post<Checklist>('/onboarding/sample-tickets', { count });
}

export function removeSampleTickets(): Promise<Checklist> {
  return api.delete<Checklist>('/onboarding/sample-tickets');
}
