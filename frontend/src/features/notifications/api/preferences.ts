import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { NotificationPrefs } from '@/types/api';

export function useNotificationPrefs() {
  return useQuery({
    queryKey: queryKeys.notificationPrefs,
    queryFn: ({ signal }) => api.get<NotificationPrefs>('/me/notifications', { signal }),
  });
}

/** Any subset of the preferences; the server answers all four as they now are. */
export function saveNotificationPrefs(prefs: Partial<NotificationPrefs>): Promise<NotificationPrefs> {
  return api.put<NotificationPrefs>('/me/notifications', prefs);
}

export interface Preference {
  key: keyof NotificationPrefs;
  label: string;
  hint: string;
  /** Only people who work tickets are assigned them; everyone can be added as a watcher. */
  forAssignees: boolean;
}

export const PREFERENCES: Preference[] = [
  {
    key: 'email_ticket_assigned',
    label: 'A ticket is assigned to me',
    hint: 'When someone else (or automatic assignment) gives you a ticket.',
    forAssignees: true,
  },
  {
    key: 'email_ticket_commented',
    label: 'Someone replies to or notes on a ticket assigned to me',
    hint: 'Public replies and internal notes by others, not your own.',
    forAssignees: true,
  },
  {
    key: 'email_sla_breached',
    label: 'A ticket assigned to me misses its SLA',
    hint: 'Once per missed deadline (first response or resolution).',
    forAssignees: true,
  },
  {
    key: 'email_watched_tickets',
    label: 'Something happens on a ticket I watch',
    hint: 'A comment, a status change or a missed SLA on any ticket you watch.',
    forAssignees: false,
  },
];

/** The preferences that differ from what is saved: the PUT sends only those. */
export function changedPrefs(saved: NotificationPrefs, edited: NotificationPrefs): Partial<NotificationPrefs> {
  return Object.fromEntries(
    PREFERENCES.filter(({ key }) => saved[key] !== edited[key]).map(({ key }) => [key, edited[key]]),
  );
}
