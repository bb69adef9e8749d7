import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { filtersFromSearch } from '@/lib/ticket-filters';
import { installFakeApi, makeTicket } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { TicketList } from './ticket-list';

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
        : { body: { items: [makeTicket({ subject: 'First page' })], next_cursor: 'page-2' } },
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
