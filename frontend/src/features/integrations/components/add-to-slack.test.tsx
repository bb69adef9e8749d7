import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { AddToSlack, SlackOAuthCallback } from './add-to-slack';

afterEach(() => vi.restoreAllMocks());

describe('AddToSlack', () => {
  it('sends the admin to the authorize URL the server signed', async () => {
    const assign = vi.fn();
    vi.spyOn(window, 'location', 'get').mockReturnValue({ ...window.location, assign });
    installFakeApi((request) => {
      if (request.path === '/integrations/slack/oauth') return { body: { available: true } };
      if (request.path === '/integrations/slack/oauth/start')
        return { body: { authorize_url: 'https://slack.test/oauth/v2/authorize?state=s', expires_at: 'x' } };
      return undefined;
    });
    renderWithProviders(<AddToSlack />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add to Slack' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://slack.test/oauth/v2/authorize?state=s'));
  });

  it('is not offered when the deployment has no Slack app', async () => {
    const { calls } = installFakeApi(() => ({ body: { available: false } }));
    renderWithProviders(<AddToSlack />);
    await waitFor(() => expect(calls.length).toBe(1));
    expect(screen.queryByRole('button', { name: 'Add to Slack' })).toBeNull();
  });
});

describe('SlackOAuthCallback', () => {
  it('hands the code and state to the API once', async () => {
    const { calls } = installFakeApi((request) => {
      if (request.path === '/integrations/slack/oauth/callback') return { body: { connected: true, mode: 'bot' } };
      return undefined;
    });
    renderWithProviders(<SlackOAuthCallback />, { url: '/settings/integrations/slack/callback?code=c1&state=s1' });
    await waitFor(() => expect(calls.some((c) => c.path === '/integrations/slack/oauth/callback')).toBe(true));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{ code: 'c1', state: 's1' }]);
  });

  it('says so when the admin cancelled on Slack', async () => {
    const { calls } = installFakeApi(() => undefined);
    renderWithProviders(<SlackOAuthCallback />, { url: '/settings/integrations/slack/callback?error=access_denied' });
    expect(await screen.findByRole('alert')).toHaveTextContent('the request was cancelled');
    expect(calls).toEqual([]);
  });
});
