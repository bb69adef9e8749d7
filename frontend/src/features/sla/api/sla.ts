import { useQuery } from '@tanstack/preact-query';
import type { ProblemField } from '@/types/api';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { components } from '@/types/openapi.gen';

type Schemas = components['schemas'];
export type BusinessHours = Schemas['BusinessHoursOut'];
export type BusinessHoursInput = Schemas['BusinessHoursIn'];
export type SlaPolicy = Schemas['SlaPolicyOut'];
export type SlaPolicyInput = Schemas['SlaPolicyIn'];
export type SlaPolicyList = Schemas['SlaPolicyListOut'];
type Priority = keyof SlaPolicyInput['targets'];

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const PRIORITIES: readonly Priority[] = ['urgent', 'high', 'normal', 'low'];
export const TARGETS = [
  { key: 'first_response_minutes', label: 'First response' },
  { key: 'next_reply_minutes', label: 'Next reply' },
  { key: 'resolution_minutes', label: 'Resolution' },
] as const;
type TargetKey = (typeof TARGETS)[number]['key'];

export function useBusinessHours() {
  return useQuery({
    queryKey: queryKeys.businessHours,
    queryFn: ({ signal }) => api.get<BusinessHours>('/settings/business-hours', { signal }),
  });
}

export function saveBusinessHours(input: BusinessHoursInput): Promise<BusinessHours> {
  return api.put<BusinessHours>('/settings/business-hours', input);
}

export function useSlaPolicies() {
  return useQuery({
    queryKey: queryKeys.slaPolicies,
    queryFn: ({ signal }) => api.get<SlaPolicyList>('/sla-policies', { signal }),
  });
}

export function createSlaPolicy(input: SlaPolicyInput): Promise<SlaPolicy> {
  return api.post<SlaPolicy>('/sla-policies', input);
}

export function updateSlaPolicy(id: string, input: SlaPolicyInput): Promise<SlaPolicy> {
  return api.patch<SlaPolicy>(`/sla-policies/${encodeURIComponent(id)}`, input);
}

export function deleteSlaPolicy(id: string): Promise<void> {
  return api.delete(`/sla-policies/${encodeURIComponent(id)}`);
}

export function reorderSlaPolicies(ids: string[]): Promise<SlaPolicyList> {
  return api.put<SlaPolicyList>('/sla-policies', { ids });
}

/** The server's field errors by their full path (`weekly_hours.monday.1`, `targets.high.resolution_minutes`). */
export function errorsByPath(fields: ProblemField[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.field, f.message]));
}

/** The ids in their new order after moving one up (-1) or down (+1); unchanged at either end. */
export function moved(ids: string[], id: string, by: -1 | 1): string[] {
  const from = ids.indexOf(id);
  const to = from + by;
  if (from < 0 || to < 0 || to >= ids.length) return ids;
  const next = [...ids];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}

/** "90 min" → "1 h 30 min", "2880" → "2 d": how long a target is, for people. */
export function describeMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '—';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [days && `${days} d`, hours && `${hours} h`, rest && `${rest} min`].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 min';
}

// --- the policy form ----------------------------------------------------------------------------

export type TargetTexts = Record<TargetKey, string>;

export interface PolicyFormValues {
  name: string;
  queue: string;
  tag: string;
  businessHours: boolean;
  targets: Record<Priority, TargetTexts>;
}

const EMPTY_TARGETS: TargetTexts = { first_response_minutes: '', next_reply_minutes: '', resolution_minutes: '' };

export function policyFormValues(policy?: SlaPolicy): PolicyFormValues {
  const targets = Object.fromEntries(
    PRIORITIES.map((priority) => {
      const set = policy?.targets[priority];
      const texts = Object.fromEntries(
        TARGETS.map(({ key }) => [key, set?.[key] === null || set?.[key] === undefined ? '' : String(set[key])]),
      ) as TargetTexts;
      return [priority, set ? texts : { ...EMPTY_TARGETS }];
    }),
  ) as Record<Priority, TargetTexts>;
  return {
    name: policy?.name ?? '',
    queue: policy?.queue ?? '',
    tag: policy?.tag ?? '',
    businessHours: policy?.business_hours ?? false,
    targets,
  };
}

/** The body the server takes: a priority whose targets are all empty is left out (the policy does not hold it). */
export function policyInput(values: PolicyFormValues): SlaPolicyInput {
  const targets: SlaPolicyInput['targets'] = {};
  for (const priority of PRIORITIES) {
    const texts = values.targets[priority];
    if (TARGETS.every(({ key }) => texts[key].trim() === '')) continue;
    targets[priority] = Object.fromEntries(
      TARGETS.map(({ key }) => [key, texts[key].trim() === '' ? null : Number(texts[key].trim())]),
    );
  }
  return {
    name: values.name.trim(),
    queue: values.queue.trim() || null,
    tag: values.tag.trim() || null,
    business_hours: values.businessHours,
    targets,
  };
}

// --- the business-hours form ---------------------------------------------------------------------

export interface SpanTexts {
  start: string;
  end: string;
}

export interface HolidayTexts {
  start: string;
  end: string;
  name: string;
}

export interface HoursFormValues {
  timeZone: string;
  week: Record<Weekday, SpanTexts[]>;
  country: string;
  subdivision: string;
  holidays: HolidayTexts[];
}

export function hoursFormValues(hours: BusinessHours): HoursFormValues {
  return {
    timeZone: hours.time_zone,
    week: Object.fromEntries(WEEKDAYS.map((day) => [day, hours.weekly_hours[day].map((s) => ({ ...s }))])) as Record<
      Weekday,
      SpanTexts[]
    >,
    country: hours.holiday_country ?? '',
    subdivision: hours.holiday_subdivision ?? '',
    holidays: hours.holidays.map((h) => ({ start: h.start, end: h.end === h.start ? '' : h.end, name: h.name })),
  };
}

export function hoursInput(values: HoursFormValues): BusinessHoursInput {
  return {
    time_zone: values.timeZone.trim(),
    weekly_hours: Object.fromEntries(
      WEEKDAYS.map((day) => [day, values.week[day].map((s) => ({ start: s.start.trim(), end: s.end.trim() }))]),
    ),
    holiday_country: values.country.trim().toUpperCase() || null,
    holiday_subdivision: values.subdivision.trim().toUpperCase() || null,
    holidays: values.holidays.map((h) => ({ start: h.start, end: h.end || null, name: h.name.trim() })),
  };
}
