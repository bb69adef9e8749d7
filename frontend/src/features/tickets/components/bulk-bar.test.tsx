import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { filtersFromSearch } from '@/lib/ticket-filters';
import { installFakeApi, makeTicket } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { TicketList } from './ticket-list';

const TICKETS = [1, 2, 3, 4, 5].map((n) =>
  makeTicket({ id: `t${n}`, number: 100 + n, subject: `Ticket ${n}`, version: n }),
);

function renderList() {
  const fake = installFakeApi((request) => {
    if (request.path === '/tickets' && request.method === 'GET') return { body: { items: TICKETS, next_cursor: null } };
    if (request.path === '/tickets/bulk') {
      const asked = (request.body as { tickets: { id: string }[] }).tickets;
      return {
        body: {
          results: asked.map(({ id }) =>
            id === 't3'
              ? { id, outcome: 'conflict', error: null, detail: 'Someone changed it.', ticket: TICKETS[2] }
              : id === 't4'
                ? {
                    id,
                    outcome: 'error',
                    error: 'invalid',
                    detail: "A ticket cannot go from 'closed' to 'pending'.",
                    ticket: null,
                  }
                : { id, outcome: 'applied', error: null, detail: null, ticket: TICKETS[0] },
          ),
          applied: asked.length - 2,
          unchanged: 0,
          conflicts: 1,
          errors: 1,
        },
      };
    }
    return undefined;
  });
  renderWithProviders(
    <TicketList
      filters={filtersFromSearch('')}
      userNames={new Map()}
      selectable
      assignees={[{ id: 'me', name: 'Me', detail: 'take them', allowed: true }]}
    />,
  );
  return fake;
}

describe('bulk changes in the ticket list', () => {
  it('selects a range with shift-click and all on the page', async () => {
    renderList();
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select ticket #101' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select ticket #104' }), { shiftKey: true });
    expect(screen.getByText('selected').parentElement).toHaveTextContent('4 selected');
    expect(screen.getByRole('checkbox', { name: 'Select ticket #105' })).not.toBeChecked();

    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all 5 shown' }));
    expect(screen.getByText('selected').parentElement).toHaveTextContent('5 selected');
  });

  it('sends each ticket with the version shown and reports what applied and what did not', async () => {
    const { calls } = renderList();
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select all 5 shown' }));
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'pending' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply to 5' }));

    await waitFor(() => expect(screen.getByText('3 tickets changed.')).toBeInTheDocument());
    const sent = calls.find((c) => c.path === '/tickets/bulk')?.body;
    expect(sent).toEqual({
      tickets: TICKETS.map((t) => ({ id: t.id, version: t.version })),
      changes: { status: 'pending' },
    });
    expect(screen.getByText(/#103 changed since you loaded the list/)).toBeInTheDocument();
    expect(
      screen.getByText("#104 was not changed: A ticket cannot go from 'closed' to 'pending'."),
    ).toBeInTheDocument();
    // what did not apply stays selected
    expect(screen.getByText('selected').parentElement).toHaveTextContent('2 selected');
  });

  it('offers nothing to apply until a change is chosen', async () => {
    renderList();
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select ticket #102' }));
    expect(screen.getByRole('button', { name: 'Apply to 1' })).toBeDisabled();
  });

  it('adds and removes tags, so each ticket keeps its own others', async () => {
    const { calls } = renderList();
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select ticket #101' }));
    fireEvent.input(screen.getByLabelText('Add tags'), { target: { value: 'vip, urgent-review' } });
    fireEvent.input(screen.getByLabelText('Remove tags'), { target: { value: 'legacy' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply to 1' }));

    await waitFor(() => expect(calls.some((c) => c.path === '/tickets/bulk')).toBe(true));
    expect((calls.find((c) => c.path === '/tickets/bulk')?.body as { changes: unknown }).changes).toEqual({
      tags_add: ['vip', 'urgent-review'],
      tags_remove: ['legacy'],
    });
  });
});
