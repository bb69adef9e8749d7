import { api } from '@/lib/api-client';
import type { Ticket, TicketPriority } from '@/types/api';

export interface CreateTicketInput {
  subject: string;
  description: string;
  requester: { email: string; name: string };
  priority?: TicketPriority;
  queue?: string;
  tags?: string[];
}

export function createTicket(input: CreateTicketInput): Promise<Ticket | { ticket: Ticket }> {
  return api.post('/tickets', input);
}

export function createdTicketId(result: Ticket | { ticket: Ticket }): string {
  return 'ticket' in result ? result.ticket.id : result.id;
}
