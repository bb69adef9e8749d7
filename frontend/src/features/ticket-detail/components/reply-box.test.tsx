import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
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
    expect(calls[0]).toMatchObject({
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

    expect(calls[0]).toMatchObject({ method: 'GET', path: '/articles/search' });
    expect(calls[0]!.search.get('q')).toBe('reset');
    expect(box).toHaveValue(`This should help:\n[Reset your password](${hit.url})`);
  });
});
