import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { ArticleSuggestions } from './article-suggestions';

const HIT = {
  id: 'reset-your-password',
  title: 'Reset your password',
  category: 'Account',
  summary: 'Open Settings…',
  url: 'http://x/portal/acme/help/reset-your-password',
};

describe('ArticleSuggestions', () => {
  it('suggests matching articles, announces them and records the funnel once', async () => {
    const { calls } = installFakeApi((r) => {
      if (r.path === '/portal/acme/help/suggest') return { body: { items: [HIT] } };
      if (r.path === '/portal/acme/help/events') return { body: { counted: true } };
      return undefined;
    });
    const { rerender } = render(<ArticleSuggestions workspace="acme" query="passw" />);

    const link = await screen.findByRole('link', { name: /Reset your password/ });
    expect(link.getAttribute('href')).toBe('/portal/acme/help/reset-your-password');
    expect(screen.getByRole('status').textContent).toBe('1 help article may answer your question.');
    rerender(<ArticleSuggestions workspace="acme" query="password reset" />);
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/suggest')).length).toBe(2));
    fireEvent.click(link);

    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/events')).length).toBe(2));
    const events = calls
      .filter((c) => c.path.endsWith('/events'))
      .map((c) => c.body as { type: string; session: string });
    expect(events.map((e) => e.type)).toEqual(['suggested', 'opened']);
    expect(events[0]!.session).toMatch(/^[0-9a-f]{32}$/);
    expect(events[1]!.session).toBe(events[0]!.session);
  });

  it('asks nothing for a query too short and shows nothing without matches', async () => {
    const { calls } = installFakeApi(() => ({ body: { items: [] } }));
    render(<ArticleSuggestions workspace="acme" query="hi" />);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(calls).toEqual([]);
    expect(screen.queryByRole('link')).toBeNull();
  });
});
