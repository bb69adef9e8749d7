import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import type { Attachment } from '@/types/api';
import { AttachmentList } from './attachment-list';
import { ChannelBadge } from './channel-badge';

const FILES: Attachment[] = [
  { id: 'a1', filename: 'invoice <2024>.pdf', content_type: 'application/pdf', size: 1_572_864, inline: false },
  { id: 'a2', filename: 'logo.png', content_type: 'image/png', size: 800, inline: true },
];

afterEach(() => vi.unstubAllGlobals());

describe('AttachmentList', () => {
  it('lists each file with its name (as text), type and size', () => {
    const { container } = renderWithProviders(<AttachmentList ticketId="t1" attachments={FILES} />);
    const list = screen.getByRole('list', { name: '2 attachments' });
    expect(list).toHaveTextContent('invoice <2024>.pdf');
    expect(list).toHaveTextContent('application/pdf · 1.5 MB');
    expect(list).toHaveTextContent('image/png · 800 bytes · shown in the message');
    expect(container.querySelector('.attachments pdf, .attachments img')).toBeNull();
  });

  it('asks the attachment route for a fresh link and opens it', async () => {
    const { calls } = installFakeApi((r) =>
      r.path === '/tickets/t1/attachments/a1'
        ? {
            body: {
              url: 'https://files.example/a1?sig=1',
              filename: 'invoice.pdf',
              expires_at: '2025-01-01T10:05:00Z',
            },
          }
        : undefined,
    );
    const open = vi.fn();
    renderWithProviders(<AttachmentList ticketId="t1" attachments={FILES} open={open} />);
    fireEvent.click(screen.getByRole('button', { name: 'Download invoice <2024>.pdf' }));
    await waitFor(() => expect(open).toHaveBeenCalledWith('https://files.example/a1?sig=1'));
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /tickets/t1/attachments/a1']);
  });

  it('says so when the link cannot be had, and opens nothing', async () => {
    installFakeApi(() => ({ status: 404, body: { title: 'Not found', status: 404 } }));
    const open = vi.fn();
    renderWithProviders(<AttachmentList ticketId="t1" attachments={FILES} open={open} />);
    fireEvent.click(screen.getByRole('button', { name: 'Download logo.png' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The download failed');
    expect(open).not.toHaveBeenCalled();
  });

  it('shows nothing for a message without files', () => {
    const { container } = renderWithProviders(<AttachmentList ticketId="t1" attachments={[]} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('ChannelBadge', () => {
  it('marks email with an icon, accessible text and the sender address', () => {
    const { container } = renderWithProviders(<ChannelBadge channel="email" sender="ada@customer.example" />);
    const badge = container.querySelector('.channel--email');
    expect(badge).toHaveTextContent('By email from ada@customer.example');
    expect(badge?.querySelector('svg')).toHaveAttribute('aria-hidden', 'true');
  });

  it('names the other channels', () => {
    renderWithProviders(<ChannelBadge channel="api" />);
    expect(screen.getByText('via API')).toBeInTheDocument();
  });
});
