import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { applyFormat } from './format-toolbar';
import { ReplyBox } from './reply-box';

describe('ReplyBox', () => {
  it('sends an internal note when that kind is chosen, then clears the box', async () => {
    const comment = {
      id: 'c9',
      ticket_id: 't1',
      body: 'Checking with billing',
      public: false,
      author: { id: 'u1', name: 'Maya', kind: 'agent' },
      created_at: '2025-01-01T00:00:00Z',
    };
    const { calls } = installFakeApi(() => ({ status: 201, body: { comment, ticket: null } }));
    const onSent = vi.fn();
    renderWithProviders(<ReplyBox ticketId="t1" onSent={onSent} />);

    fireEvent.click(screen.getByLabelText('Internal note'));
    const box = screen.getByLabelText('Internal note for your team');
    fireEvent.input(box, { target: { value: 'Checking with billing' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));

    await waitFor(() => expect(onSent).toHaveBeenCalled());
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({
      method: 'POST',
      path: '/tickets/t1/comments',
      body: { body: 'Checking with billing', public: false },
    });
    expect(onSent.mock.calls[0][0]).toEqual(comment);
    expect(box).toHaveValue('');
  });

  it('inserts a published article as a Markdown link from the picker', async () => {
    const hit = {
      id: 'reset-your-password',
      title: 'Reset your password',
      category: 'Account',
      summary: '',
      url: 'http://localhost:8000/portal/demo/help/reset-your-password',
    };
    const { calls } = installFakeApi((r) => (r.path === '/articles/search' ? { body: { items: [hit] } } : undefined));
    renderWithProviders(<ReplyBox ticketId="t1" onSent={vi.fn()} />);
    const box = screen.getByLabelText('Public reply to the requester');
    fireEvent.input(box, { target: { value: 'This should help:' } });

    fireEvent.click(screen.getByRole('button', { name: 'Insert article link' }));
    fireEvent.input(screen.getByLabelText('Search published articles'), { target: { value: 'reset' } });
    fireEvent.click(await screen.findByRole('button', { name: /Reset your password/ }));

    const search = calls.find((call) => call.path === '/articles/search');
    expect(search).toMatchObject({ method: 'GET' });
    expect(search!.search.get('q')).toBe('reset');
    expect(box).toHaveValue(`This should help:\n[Reset your password](${hit.url})`);
  });
});

describe('ReplyBox, the rest of the job', () => {
  const comment = {
    id: 'c1',
    ticket_id: 't1',
    body: 'Hi',
    public: true,
    author: { id: 'u1', name: 'Maya', type: 'user' },
    created_at: '2025-01-01T00:00:00Z',
  };

  it('sends Markdown with Ctrl+Enter, with the CC addresses, and forgets the draft', async () => {
    localStorage.clear();
    const { calls } = installFakeApi((r) =>
      r.path === '/tickets/t1/comments' ? { status: 201, body: { comment } } : undefined,
    );
    const onSent = vi.fn();
    renderWithProviders(<ReplyBox ticketId="t1" onSent={onSent} />);
    fireEvent.input(screen.getByLabelText('Cc'), { target: { value: 'a@example.org, b@example.org' } });
    const box = screen.getByLabelText('Public reply to the requester');
    fireEvent.input(box, { target: { value: 'Hi **there**' } });
    fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });

    await waitFor(() => expect(onSent).toHaveBeenCalled());
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      body: 'Hi **there**',
      public: true,
      format: 'markdown',
      cc: ['a@example.org', 'b@example.org'],
    });
    expect(Object.keys(localStorage).filter((k) => k.startsWith('pulsedesk.draft'))).toEqual([]);
  });

  it('keeps an unsent draft per ticket across a remount', () => {
    localStorage.clear();
    installFakeApi(() => undefined);
    const first = renderWithProviders(<ReplyBox ticketId="t1" onSent={vi.fn()} />);
    fireEvent.input(screen.getByLabelText('Public reply to the requester'), { target: { value: 'Half a thought' } });
    first.unmount();

    const other = renderWithProviders(<ReplyBox ticketId="t2" onSent={vi.fn()} />);
    expect(screen.getByLabelText('Public reply to the requester')).toHaveValue('');
    other.unmount();
    renderWithProviders(<ReplyBox ticketId="t1" onSent={vi.fn()} />);
    expect(screen.getByLabelText('Public reply to the requester')).toHaveValue('Half a thought');
  });

  it('shows the field message when a CC address is refused', async () => {
    localStorage.clear();
    installFakeApi((r) =>
      r.method === 'POST'
        ? {
            status: 422,
            body: {
              title: 'Invalid',
              status: 422,
              errors: [{ field: 'cc.0', message: 'is not a valid email address' }],
            },
          }
        : undefined,
    );
    renderWithProviders(<ReplyBox ticketId="t1" onSent={vi.fn()} />);
    fireEvent.input(screen.getByLabelText('Cc'), { target: { value: 'nope' } });
    fireEvent.input(screen.getByLabelText('Public reply to the requester'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByText('is not a valid email address')).toBeInTheDocument();
    expect(screen.getByLabelText('Cc')).toHaveAttribute('aria-invalid', 'true');
  });

  it('wraps the selection in Markdown from the toolbar', () => {
    expect(applyFormat('make this loud', 10, 14, { before: '**', after: '**', placeholder: 'x' })).toEqual({
      text: 'make this **loud**',
      start: 12,
      end: 16,
    });
    expect(applyFormat('', 0, 0, { before: '_', after: '_', placeholder: 'italic text' }).text).toBe('_italic text_');
  });
});
