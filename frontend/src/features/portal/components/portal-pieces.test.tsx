import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { saveSession } from '../api/portal-api';
import { NewRequest } from './new-request';
import { RatingPanel } from './rating-panel';

const SESSION = {
  access_token: 'requester-jwt',
  token_type: 'Bearer' as const,
  expires_in: 3600,
  requester: { id: 'c1', name: 'Rita', email: 'rita@acme.example' },
  workspace: { name: 'Acme', slug: 'acme', web_form_enabled: true },
};
const REQUEST = {
  id: 'r1',
  number: 7,
  subject: 'Printer',
  description: 'Jams',
  status: 'solved',
  created_at: '2026-11-30T08:00:00Z',
  updated_at: '2026-11-30T08:00:00Z',
  solved_at: '2026-11-30T09:00:00Z',
  attachments: [],
  rating: null,
};

/** Storage's presigned POST answers 204 to a FormData body; everything else goes to the fake API. */
function withStorage(fetchMock: ReturnType<typeof installFakeApi>['fetchMock']) {
  const stored: string[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input).startsWith('https://storage.test/')) {
      stored.push(((init?.body as FormData).get('file') as File).name);
      return new Response(null, { status: 204 });
    }
    return fetchMock(input, init);
  });
  return stored;
}

describe('RatingPanel', () => {
  it('asks how we did, sends the choice and the comment, then shows the rating given', async () => {
    saveSession('acme', SESSION);
    const { calls } = installFakeApi((r) =>
      r.method === 'POST'
        ? { body: { ...REQUEST, rating: { ...(r.body as object), at: '2026-11-30T10:00:00Z' } } }
        : undefined,
    );
    renderWithProviders(<RatingPanel slug="acme" id="r1" given={null} asked />);

    expect(screen.getByRole('heading', { name: 'How did we do?' })).toBeTruthy();
    const send = screen.getByRole('button', { name: 'Send rating' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: /Bad/ }));
    fireEvent.input(screen.getByLabelText(/Anything to add/), { target: { value: '  Slow  ' } });
    fireEvent.click(send);

    expect((await screen.findByRole('status')).textContent).toMatch(/You rated this request Bad/);
    expect(screen.getByText('Slow')).toBeTruthy();
    const [call] = calls;
    expect([call.method, call.path, call.body]).toEqual([
      'POST',
      '/portal/acme/requests/r1/rating',
      { rating: 'bad', comment: 'Slow' },
    ]);
    expect(call.headers.Authorization).toBe('Bearer requester-jwt');
  });

  it('only shows a rating it may no longer change (a reopened request)', () => {
    installFakeApi(() => undefined);
    const given = { rating: 'good' as const, comment: '', at: '2026-11-30T10:00:00Z' };
    renderWithProviders(<RatingPanel slug="acme" id="r1" given={given} asked={false} />);
    expect(screen.getByRole('status').textContent).toMatch(/You rated this request Good/);
    expect(screen.queryByRole('button', { name: 'Change my rating' })).toBeNull();
  });
});

describe('NewRequest with files', () => {
  it('uploads each file under the id the first one answered, and sends the request with them', async () => {
    saveSession('acme', SESSION);
    let uploads = 0;
    const { calls, fetchMock } = installFakeApi((r) => {
      if (r.path === '/portal/acme/uploads') {
        uploads += 1;
        const started = { url: 'https://storage.test/bucket', fields: { key: 'k' }, expires_at: 'x', max_bytes: 1000 };
        return { status: 201, body: { ...started, id: `u${uploads}`, request_id: 'req-1' } };
      }
      if (r.path === '/portal/acme/requests' && r.method === 'POST')
        return { status: 201, body: { ...REQUEST, id: 'req-1' } };
      if (r.path.startsWith('/portal/acme/help')) return { body: { items: [] } };
      return undefined;
    });
    const stored = withStorage(fetchMock);
    renderWithProviders(<NewRequest slug="acme" />, { url: '/portal/acme/requests/new' });

    fireEvent.input(screen.getByLabelText('Subject'), { target: { value: 'Chart broken' } });
    fireEvent.input(screen.getByLabelText('How can we help?'), { target: { value: 'See files' } });
    const picker = screen.getByLabelText('Attach files') as HTMLInputElement;
    const files = [
      new File(['a'], 'a.png', { type: 'image/png' }),
      new File(['bb'], 'b.pdf', { type: 'application/pdf' }),
    ];
    fireEvent.change(picker, { target: { files } });

    await waitFor(() => expect(screen.getAllByText(/^ready/)).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Send request' }));

    await waitFor(() => expect(calls.some((c) => c.path === '/portal/acme/requests')).toBe(true));
    const starts = calls.filter((c) => c.path === '/portal/acme/uploads').map((c) => c.body);
    expect(starts).toEqual([
      { filename: 'a.png', content_type: 'image/png', size: 1 },
      { filename: 'b.pdf', content_type: 'application/pdf', size: 2, request_id: 'req-1' },
    ]);
    expect(stored).toEqual(['a.png', 'b.pdf']);
    expect(calls.find((c) => c.path === '/portal/acme/requests')?.body).toEqual({
      subject: 'Chart broken',
      description: 'See files',
      request_id: 'req-1',
      attachments: ['u1', 'u2'],
    });
  });
});
