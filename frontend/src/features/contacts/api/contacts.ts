import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';

type Schemas = components['schemas'];
export type Contact = Schemas['ContactOut'];
export type ContactDetail = Schemas['ContactDetailOut'];

/** The contact of one address with their tickets: found by address prefix, then read by id. */
export function useRequesterContact(email: string | undefined) {
  return useQuery({
    queryKey: ['contacts', 'by-email', email],
    enabled: Boolean(email),
    queryFn: async (): Promise<ContactDetail | null> => {
      const address = (email ?? '').toLowerCase();
      const found = await api.get<Schemas['ContactListOut']>('/contacts', { query: { q: address, limit: 5 } });
      const contact = found.items.find((c) => c.email === address);
      return contact ? api.get<ContactDetail>(`/contacts/${contact.id}`) : null;
    },
    staleTime: 30_000,
  });
}
