import { screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { SuppressedMark } from './suppressed-mark';

describe('SuppressedMark', () => {
  it('tells the agent that mail to a bounced requester does not arrive', async () => {
    installFakeApi((r) =>
      r.path === '/tickets/t1/requester-email'
        ? {
            body: {
              address: 'ana@example.com',
              suppression: { address: 'ana@example.com', reason: 'bounce', detail: '550', at: '2025-01-02T10:00:00Z' },
            },
          }
        : undefined,
    );
    renderWithProviders(<SuppressedMark ticketId="t1" />);
    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent('Email not delivered');
    expect(note).toHaveTextContent('their mailbox rejected our mail for good');
  });

  it('says nothing while the address can be emailed', async () => {
    const { calls } = installFakeApi((r) =>
      r.path === '/tickets/t2/requester-email'
        ? { body: { address: 'ana@example.com', suppression: null } }
        : undefined,
    );
    const { container } = renderWithProviders(<SuppressedMark ticketId="t2" />);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.some((c) => c.path === '/tickets/t2/requester-email')).toBe(true);
    expect(container.querySelector('.suppressed-mark')).toBeNull();
  });
});
