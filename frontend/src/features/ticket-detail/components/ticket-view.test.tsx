import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi, makeMe, makeTicket } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import type { Ticket } from '@/types/api';
import { TicketView } from './ticket-view';

const comments = [
  {
    id: 'c1',
    body: 'We are looking into it.',
    public: true,
    author: { id: 'u2', name: 'Ben', kind: 'agent' },
    created_at: '2025-01-02T11:00:00Z',
    channel: 'web',
    attachments: [],
  },
  {
    id: 'c2',
    body: 'Customer is a VIP <script>alert(1)</script>',
    public: false,
    author: { id: 'u2', name: 'Ben', kind: 'agent' },
    created_at: '2025-01-02T12:00:00Z',
    channel: 'web',
    attachments: [],
  },
  {
    id: 'c3',
    body: 'Thanks, here is the photo.',
    public: true,
    author: { type: 'requester', id: 'ana@example.com', name: 'Ana Lima' },
    created_at: '2025-01-02T13:00:00Z',
    channel: 'email',
    attachments: [{ id: 'a1', filename: 'photo.jpg', content_type: 'image/jpeg', size: 2048, inline: false }],
  },
];

describe('TicketView', () => {
  it('shows public replies and internal notes distinctly, as text', async () => {
    installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe() };
      if (r.path === '/users') return { body: { items: [], next_cursor: null } };
      if (r.path === '/tickets/t1') return { body: { ticket: makeTicket(), comments, watchers: [] } };
      return undefined;
    });
    const { container } = renderWithProviders(<TicketView ticketId="t1" />);

    const note = await screen.findByRole('article', { name: 'Internal note by Ben' });
    expect(note).toHaveClass('message--internal');
    expect(note).toHaveTextContent('Customer is a VIP <script>alert(1)</script>');
    expect(screen.getByRole('article', { name: 'Public reply by Ben' })).toHaveClass('message--public');
    expect(container.querySelector('.conversation script')).toBeNull();
  });

  it('shows which messages came by email, from whom, with their files', async () => {
    installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe() };
      if (r.path === '/users') return { body: { items: [], next_cursor: null } };
      if (r.path === '/tickets/t1')
        return { body: { ticket: makeTicket({ channel: 'email' }), comments, watchers: [] } };
      return undefined;
    });
    renderWithProviders(<TicketView ticketId="t1" />);

    // the request itself, then her emailed answer
    const [request, reply] = await screen.findAllByRole('article', { name: 'Public reply by Ana Lima' });
    expect(request).toHaveTextContent('By email from ana@example.com');
    expect(reply).toHaveTextContent('By email from ana@example.com');
    expect(reply).toHaveTextContent('photo.jpg');
    expect(screen.getByRole('button', { name: 'Download photo.jpg' })).toBeInTheDocument();
    expect(screen.getByText('Ticket #1001', { exact: false })).toHaveTextContent('By email from ana@example.com');
    expect(screen.getByRole('article', { name: 'Public reply by Ben' })).toHaveTextContent('via Web');
  });

  it('names a customer who wrote without a display name by their address', async () => {
    const nameless = { ...comments[2], id: 'c4', author: { type: 'requester', id: 'bo@example.com', name: '' } };
    installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe() };
      if (r.path === '/users') return { body: { items: [], next_cursor: null } };
      if (r.path === '/tickets/t1') return { body: { ticket: makeTicket(), comments: [nameless], watchers: [] } };
      return undefined;
    });
    renderWithProviders(<TicketView ticketId="t1" />);
    expect(await screen.findByRole('article', { name: 'Public reply by bo@example.com' })).toBeInTheDocument();
  });

  it('on a 409 shows what a colleague changed and re-applies the agent change on the new version', async () => {
    let serverTicket: Ticket = makeTicket({ version: 1, status: 'open', priority: 'normal' });
    const colleagueVersion = makeTicket({ version: 2, status: 'open', priority: 'urgent' });
    const { calls } = installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe() };
      if (r.path === '/users') return { body: { items: [], next_cursor: null } };
      if (r.path === '/tickets/t1/history') return { body: { items: [] } };
      if (r.path === '/tickets/t1' && r.method === 'GET')
        return { body: { ticket: serverTicket, comments: [], watchers: [] } };
      if (r.path === '/tickets/t1' && r.method === 'PATCH') {
        if (r.headers['If-Match'] === '1') {
          serverTicket = colleagueVersion;
          return {
            status: 409,
            body: { title: 'Conflict', status: 409, detail: 'Version mismatch', current: colleagueVersion },
          };
        }
        serverTicket = { ...colleagueVersion, ...(r.body as object), version: 3 };
        return { body: serverTicket };
      }
      return undefined;
    });
    renderWithProviders(<TicketView ticketId="t1" />);

    const status = await screen.findByLabelText('Status');
    fireEvent.change(status, { target: { value: 'pending' } });

    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1));
    const notice = await screen.findByRole('alert');
    expect(notice).toHaveTextContent('Someone changed this ticket while you were editing');
    expect(notice).toHaveTextContent('Priority: Normal → Urgent');
    expect(notice).toHaveTextContent('Status → Pending');

    fireEvent.click(screen.getByRole('button', { name: 'Apply my change again' }));

    await waitFor(() => expect(screen.queryByText(/Someone changed this ticket/)).toBeNull());
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((p) => p.headers['If-Match'])).toEqual(['1', '2']);
    expect(patches[1].body).toEqual({ status: 'pending' });
    expect(screen.getByLabelText('Status')).toHaveValue('pending');
    expect(screen.getByLabelText('Priority')).toHaveValue('urgent');
  });

  it('hides editing and the reply box from a viewer', async () => {
    installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe(['tickets.read', 'users.read']) };
      if (r.path === '/users') return { body: { items: [], next_cursor: null } };
      if (r.path === '/tickets/t1') return { body: { ticket: makeTicket(), comments: [], watchers: [] } };
      return undefined;
    });
    renderWithProviders(<TicketView ticketId="t1" />);
    await screen.findByRole('heading', { name: 'Printer on fire' });
    await waitFor(() => expect(screen.queryByRole('combobox', { name: 'Status' })).toBeNull());
    expect(screen.queryByRole('button', { name: 'Send reply' })).toBeNull();
  });
});
