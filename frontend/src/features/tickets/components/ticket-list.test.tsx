import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { filtersFromSearch } from '@/lib/ticket-filters';
import { installFakeApi, makeTicket } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { TICKET_PAGE_SIZE } from '../api/get-tickets';
import { TicketList } from './ticket-list';

/** A full page (the list asks for more only when the user does), its first row titled `subject`. */
function fullPage(subject: string) {
  return Array.from({ length: TICKET_PAGE_SIZE }, (_, i) =>
    makeTicket({ id: `p1-${i}`, number: 5000 + i, subject: i === 0 ? subject : `Row ${i}` }),
  );
}

describe('TicketList', () => {
  it('renders a subject that looks like HTML as plain text and runs nothing', async () => {
    const alert = vi.fn();
    vi.stubGlobal('alert', alert);
    const hostile = '<img src=x onerror=alert(1)>';
    installFakeApi(() => ({
      body: {
        items: [makeTicket({ subject: hostile, requester: { email: 'x@y.z', name: '<b>Eve</b>' } })],
        next_cursor: null,
      },
    }));

    const { container } = renderWithProviders(<TicketList filters={filtersFromSearch('')} userNames={new Map()} />);

    expect(await screen.findByText(hostile)).toBeInTheDocument();
    expect(screen.getByText('<b>Eve</b>')).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(alert).not.toHaveBeenCalled();
  });

  it('asks the API with the filters and follows next_cursor with "Load more"', async () => {
    const { calls } = installFakeApi((request) =>
      request.search.get('cursor') === 'page-2'
        ? { body: { items: [makeTicket({ id: 't2', number: 1002, subject: 'Second page' })], next_cursor: null } }
        : { body: { items: fullPage('First page'), next_cursor: 'page-2' } },
    );

    renderWithProviders(
      <TicketList filters={filtersFromSearch('status=new&status=open&assignee=me')} userNames={new Map()} />,
    );
    await screen.findByText('First page');
    expect(calls[0].search.getAll('status')).toEqual(['new', 'open']);
    expect(calls[0].search.get('assignee')).toBe('me');
    expect(calls[0].search.get('sort')).toBe('-updated_at');

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByText('Second page')).toBeInTheDocument();
    expect(screen.getByText('First page')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull());
  });

  it('follows short pages with a cursor until a page of rows is shown, without "Load more"', async () => {
    // a filter the server partly filters stops each page at its read budget: short, even empty
    const { calls } = installFakeApi((request) => {
      const cursor = request.search.get('cursor');
      if (!cursor) return { body: { items: [], next_cursor: 'c2' } };
      if (cursor === 'c2')
        return { body: { items: [makeTicket({ id: 'a', subject: 'Found late' })], next_cursor: 'c3' } };
      return { body: { items: [makeTicket({ id: 'b', number: 2, subject: 'Found last' })], next_cursor: null } };
    });

    renderWithProviders(<TicketList filters={filtersFromSearch('tag=vip')} userNames={new Map()} />);

    expect(await screen.findByText('Found last')).toBeInTheDocument();
    expect(screen.getByText('Found late')).toBeInTheDocument();
    expect(screen.queryByText('No tickets match these filters.')).toBeNull();
    expect(calls.map((c) => c.search.get('cursor'))).toEqual([null, 'c2', 'c3']);
  });

  it('shows an empty state and an error state', async () => {
    installFakeApi(() => ({ body: { items: [], next_cursor: null } }));
    renderWithProviders(<TicketList filters={filtersFromSearch('priority=urgent')} userNames={new Map()} />);
    expect(await screen.findByText('No tickets match these filters.')).toBeInTheDocument();
  });

  it('shows the problem detail when the list fails', async () => {
    installFakeApi(() => ({
      status: 500,
      body: { title: 'Internal error', status: 500, detail: 'The ticket store is unavailable.' },
    }));
    renderWithProviders(<TicketList filters={filtersFromSearch('')} userNames={new Map()} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('The ticket store is unavailable.');
  });
});
