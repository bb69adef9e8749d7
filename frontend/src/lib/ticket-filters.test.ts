import { describe, expect, it } from 'vitest';
import { filtersFromSearch, filtersToQuery, filtersToSearch, ticketMatchesFilters } from './ticket-filters';

describe('ticket filters <-> URL', () => {
  it('round-trips every filter through the query string', () => {
    const search =
      'status=new&status=open&priority=urgent&assignee=me&queue=billing&tag=vip&requester=a%40b.co&created_after=2025-01-01&created_before=2025-02-01&updated_after=2025-01-05&updated_before=2025-01-06&q=refund+please&sort=priority';
    const filters = filtersFromSearch(search);
    expect(filters).toEqual({
      status: ['new', 'open'],
      priority: 'urgent',
      assignee: 'me',
      queue: 'billing',
      tag: 'vip',
      requester: 'a@b.co',
      created_after: '2025-01-01',
      created_before: '2025-02-01',
      updated_after: '2025-01-05',
      updated_before: '2025-01-06',
      q: 'refund please',
      sort: 'priority',
    });
    expect(filtersFromSearch(filtersToSearch(filters))).toEqual(filters);
  });

  it('drops unknown values and omits the default sort', () => {
    const filters = filtersFromSearch('status=bogus&status=open&priority=meh&sort=random&evil=1');
    expect(filters).toEqual({ status: ['open'], sort: '-updated_at' });
    expect(filtersToSearch(filters)).toBe('status=open');
  });

  it('writes a canonical order so equal filters give equal URLs', () => {
    expect(filtersToSearch(filtersFromSearch('status=open&assignee=me&status=new'))).toBe(
      filtersToSearch(filtersFromSearch('assignee=me&status=new&status=open')),
    );
  });

  it('sends picked dates to the API as timezone-aware instants (local midnight)', () => {
    const query = filtersToQuery(filtersFromSearch('created_after=2025-03-01&updated_before=2025-03-02T10:00:00Z'));
    expect(query.created_after).toBe(new Date('2025-03-01T00:00:00').toISOString());
    expect(query.updated_before).toBe('2025-03-02T10:00:00Z');
  });

  it('always sends the sort to the API', () => {
    expect(filtersToQuery(filtersFromSearch(''))).toEqual({ sort: '-updated_at' });
  });

  it('matches tickets on the client except for keyword search', () => {
    const ticket = {
      status: 'open' as const,
      priority: 'urgent' as const,
      assignee_id: 'u1',
      queue: 'q',
      tags: ['vip'],
      requester: { email: 'A@b.co', name: '' },
      updated_at: '2025-01-02T00:00:00Z',
    };
    expect(ticketMatchesFilters(ticket, filtersFromSearch('assignee=me&status=open'), 'u1')).toBe(true);
    expect(ticketMatchesFilters(ticket, filtersFromSearch('assignee=unassigned'), 'u1')).toBe(false);
    expect(ticketMatchesFilters(ticket, filtersFromSearch('tag=vip&requester=a@b.co'), null)).toBe(true);
    expect(ticketMatchesFilters(ticket, filtersFromSearch('q=fire'), null)).toBeUndefined();
  });
});

describe('SLA due before', () => {
  const ticket = {
    status: 'open' as const,
    priority: 'high' as const,
    assignee_id: null,
    queue: 'support',
    tags: [],
    requester: { email: 'a@b.co', name: '' },
    updated_at: '2025-01-01T00:00:00Z',
  };
  const filters = filtersFromSearch('sla_due_before=2025-01-01T12:00:00Z');

  it('is a filter in the URL and in the API query', () => {
    expect(filters.sla_due_before).toBe('2025-01-01T12:00:00Z');
    expect(filtersToQuery(filters).sla_due_before).toBe('2025-01-01T12:00:00Z');
  });

  it('matches live tickets by their due time, and cannot tell without one', () => {
    expect(ticketMatchesFilters({ ...ticket, sla_due_at: '2025-01-01T11:00:00Z' }, filters, null)).toBe(true);
    expect(ticketMatchesFilters({ ...ticket, sla_due_at: '2025-01-01T13:00:00Z' }, filters, null)).toBe(false);
    expect(ticketMatchesFilters({ ...ticket, sla_due_at: null }, filters, null)).toBe(false);
    expect(ticketMatchesFilters(ticket, filters, null)).toBeUndefined();
  });
});
