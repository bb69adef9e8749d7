import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, buildQuery, REFRESH_LOCK, type RefreshLocks } from './api-client';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    data,
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

/** Web Locks as the browser gives them: one holder per name at a time, across every tab. */
function fakeLocks() {
  let tail: Promise<unknown> = Promise.resolve();
  const names: string[] = [];
  const locks: RefreshLocks = {
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      names.push(name);
      const run = tail.then(callback, callback);
      tail = run.catch(() => undefined);
      return run;
    },
  };
  return { locks, names };
}

/**
 * A server whose valid access token is `valid`; each refresh rotates both tokens, and a second
 * use of a rotated refresh token (reuse: a stolen token) revokes the whole session.
 */
function fakeServer() {
  // Access tokens are JWTs: every one issued stays valid until it expires (or the family is revoked).
  const valid = new Set(['access-0']);
  let refreshToken = 'refresh-0';
  let refreshes = 0;
  let reuses = 0;
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (url.endsWith('/auth/refresh')) {
      const body = JSON.parse(String(init?.body));
      if (body.refresh_token !== refreshToken) {
        reuses += 1;
        refreshToken = 'revoked-family';
        valid.clear();
        return json(401, { title: 'Unauthorized', status: 401, detail: 'Refresh token reused' });
      }
      refreshes += 1;
      valid.add(`access-${refreshes}`);
      refreshToken = `refresh-${refreshes}`;
      return json(200, {
        access_token: `access-${refreshes}`,
        refresh_token: refreshToken,
        token_type: 'Bearer',
        expires_in: 900,
      });
    }
    const auth = (init?.headers as Record<string, string>).Authorization ?? '';
    if (!valid.has(auth.replace('Bearer ', '')))
      return json(401, { type: 'about:blank', title: 'Unauthorized', status: 401 });
    return json(200, { ok: true, url });
  });
  return {
    fetch,
    expireAccessToken: () => valid.clear(),
    refreshCount: () => refreshes,
    reuseCount: () => reuses,
  };
}

describe('ApiClient', () => {
  it('GIVEN an expired access token WHEN a request fails with 401 THEN it refreshes once, stores the rotated refresh token and retries', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const client = new ApiClient({ baseUrl: 'http://x/api/v1', fetch: server.fetch, storage });
    client.setTokens({ access_token: 'access-0', refresh_token: 'refresh-0', expires_in: 900 });
    server.expireAccessToken();

    await expect(client.get('/tickets')).resolves.toMatchObject({ ok: true });

    expect(server.refreshCount()).toBe(1);
    expect(storage.data.get('pulsedesk.refresh_token')).toBe('refresh-1');
  });

  it('shares one refresh between concurrent requests that all get 401', async () => {
    const server = fakeServer();
    const client = new ApiClient({ baseUrl: 'http://x/api/v1', fetch: server.fetch, storage: memoryStorage() });
    client.setTokens({ access_token: 'access-0', refresh_token: 'refresh-0', expires_in: 900 });
    server.expireAccessToken();

    const results = await Promise.all([client.get('/a'), client.get('/b'), client.get('/c'), client.get('/d')]);

    expect(results).toHaveLength(4);
    expect(server.refreshCount()).toBe(1);
    const refreshCalls = server.fetch.mock.calls.filter(([url]) => String(url).endsWith('/auth/refresh'));
    expect(refreshCalls).toHaveLength(1);
  });

  it('ends the session when the refresh is refused, and surfaces the 401', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const client = new ApiClient({ baseUrl: 'http://x/api/v1', fetch: server.fetch, storage });
    client.setTokens({ access_token: 'stale', refresh_token: 'revoked', expires_in: 900 });
    const signedIn: boolean[] = [];
    client.onAuthChange((now) => signedIn.push(now));

    await expect(client.get('/tickets')).rejects.toMatchObject({ status: 401 });

    expect(client.hasSession()).toBe(false);
    expect(storage.data.has('pulsedesk.refresh_token')).toBe(false);
    expect(signedIn).toEqual([false]);
  });

  it('restores a session from the stored refresh token after a reload', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    storage.setItem('pulsedesk.refresh_token', 'refresh-0');
    const client = new ApiClient({ baseUrl: 'http://x/api/v1', fetch: server.fetch, storage });

    await expect(client.get('/me')).resolves.toMatchObject({ ok: true });
    expect(server.refreshCount()).toBe(1);
  });

  it('turns problem+json into a typed ApiError with field errors', async () => {
    const problem = {
      type: 'https://pulsedesk.dev/problems/validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: 'subject: must not be empty',
      errors: [{ field: 'subject', message: 'must not be empty' }],
    };
    const client = new ApiClient({
      baseUrl: 'http://x',
      fetch: async () => json(422, problem),
      storage: memoryStorage(),
    });

    const error = await client.post('/tickets', {}, { auth: false }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, message: 'subject: must not be empty' });
    expect((error as ApiError).fieldErrors).toEqual([{ field: 'subject', message: 'must not be empty' }]);
  });

  it('reports a network failure as status 0 without ending the session', async () => {
    const client = new ApiClient({
      baseUrl: 'http://x',
      fetch: async () => Promise.reject(new TypeError('Failed to fetch')),
      storage: memoryStorage(),
    });
    client.setTokens({ access_token: 'a', refresh_token: 'r', expires_in: 900 });
    await expect(client.get('/tickets')).rejects.toMatchObject({ status: 0 });
    expect(client.hasSession()).toBe(true);
  });

  it('refreshes ahead of expiry for the WebSocket token', async () => {
    const server = fakeServer();
    let now = 1_000_000;
    const client = new ApiClient({
      baseUrl: 'http://x',
      fetch: server.fetch,
      storage: memoryStorage(),
      now: () => now,
    });
    client.setTokens({ access_token: 'access-0', refresh_token: 'refresh-0', expires_in: 60 });
    await expect(client.freshAccessToken()).resolves.toBe('access-0');
    now += 45_000; // within the 30 s margin
    await expect(client.freshAccessToken()).resolves.toBe('access-1');
  });

  it('writes repeated query parameters and skips empty ones', () => {
    expect(buildQuery({ status: ['new', 'open'], q: '', cursor: undefined, limit: 50 })).toBe(
      '?status=new&status=open&limit=50',
    );
  });

  describe('several tabs sharing one stored session', () => {
    function twoTabs(locks: RefreshLocks | null) {
      const server = fakeServer();
      const storage = memoryStorage(); // localStorage is shared by the tabs of an origin
      const tab = () => new ApiClient({ baseUrl: 'http://x/api/v1', fetch: server.fetch, storage, locks });
      const [a, b] = [tab(), tab()];
      a.setTokens({ access_token: 'access-0', refresh_token: 'refresh-0', expires_in: 900 });
      b.setTokens({ access_token: 'access-0', refresh_token: 'refresh-0', expires_in: 900 });
      server.expireAccessToken();
      return { server, storage, a, b };
    }

    it('GIVEN two tabs whose access tokens expired at once WHEN both refresh THEN they take turns under one lock and neither reuses a rotated token', async () => {
      const { locks, names } = fakeLocks();
      const { server, storage, a, b } = twoTabs(locks);

      const [fromA, fromB] = await Promise.all([a.get('/tickets'), b.get('/views')]);

      expect(fromA).toMatchObject({ ok: true });
      expect(fromB).toMatchObject({ ok: true });
      expect(server.reuseCount()).toBe(0);
      expect(server.refreshCount()).toBe(2); // the second tab refreshed with the token the first stored
      expect(storage.data.get('pulsedesk.refresh_token')).toBe('refresh-2');
      expect(names).toEqual([REFRESH_LOCK, REFRESH_LOCK]);
      expect(a.hasSession() && b.hasSession()).toBe(true);
    });

    it('re-reads the stored refresh token inside the lock, after another tab rotated it', async () => {
      const { locks } = fakeLocks();
      const { server, a, b } = twoTabs(locks);
      await a.get('/tickets'); // tab A rotates refresh-0 -> refresh-1 while tab B still holds refresh-0 in mind

      await expect(b.get('/tickets')).resolves.toMatchObject({ ok: true });

      const sent = server.fetch.mock.calls
        .filter(([url]) => String(url).endsWith('/auth/refresh'))
        .map(([, init]) => JSON.parse(String(init?.body)).refresh_token);
      expect(sent).toEqual(['refresh-0', 'refresh-1']);
      expect(server.reuseCount()).toBe(0);
    });

    it('without coordination the same refresh token would be sent twice and the session revoked', async () => {
      const { server, a, b } = twoTabs(null);
      await Promise.allSettled([a.get('/tickets'), b.get('/tickets')]);
      expect(server.reuseCount()).toBeGreaterThan(0); // why the lock exists
    });

    it('signs this tab out when another tab signs out', () => {
      const storage = memoryStorage();
      const client = new ApiClient({ baseUrl: 'http://x', storage, locks: null });
      client.setTokens({ access_token: 'a', refresh_token: 'r', expires_in: 900 });
      const target = new EventTarget();
      client.followOtherTabs(target as unknown as Window);
      const signedIn: boolean[] = [];
      client.onAuthChange((now) => signedIn.push(now));

      storage.removeItem('pulsedesk.refresh_token');
      target.dispatchEvent(new StorageEvent('storage', { key: 'pulsedesk.refresh_token', newValue: null }));

      expect(client.hasSession()).toBe(false);
      expect(signedIn).toEqual([false]);
    });
  });
});
