import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type {
  EmailAddress,
  EmailAddressInput,
  EmailSettings,
  EmailTestSent,
  EmailTestStatus,
  SuppressionList,
} from '@/types/api';

/** How often the page asks whether the test email came back (it takes a few seconds through SES). */
export const TEST_POLL_MS = 2000;

export function useEmailSettings() {
  return useQuery({
    queryKey: queryKeys.emailSettings,
    queryFn: ({ signal }) => api.get<EmailSettings>('/settings/email', { signal }),
  });
}

export function addEmailAddress(input: EmailAddressInput): Promise<EmailAddress> {
  return api.post<EmailAddress>('/settings/email/addresses', input);
}

export function removeEmailAddress(id: string): Promise<void> {
  return api.delete(`/settings/email/addresses/${encodeURIComponent(id)}`);
}

export function sendTestEmail(): Promise<EmailTestSent> {
  return api.post<EmailTestSent>('/settings/email/test');
}

/** The test's status, asked again every few seconds until the email came back as a ticket. */
export function useTestEmailStatus(messageId: string | null) {
  return useQuery({
    queryKey: queryKeys.emailTest(messageId ?? ''),
    queryFn: ({ signal }) =>
      api.get<EmailTestStatus>(`/settings/email/tests/${encodeURIComponent(messageId ?? '')}`, { signal }),
    enabled: messageId !== null,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.status === 'received' ? false : TEST_POLL_MS),
  });
}

/** Addresses SES reported as bounced for good or complaining: not emailed until an admin lifts them. */
export function useSuppressions() {
  return useQuery({
    queryKey: queryKeys.emailSuppressions,
    queryFn: ({ signal }) =>
      api.get<SuppressionList>('/settings/email/suppressions', { signal, query: { limit: 100 } }),
  });
}

export function liftSuppression(address: string): Promise<void> {
  return api.delete(`/settings/email/suppressions/${encodeURIComponent(address)}`);
}
