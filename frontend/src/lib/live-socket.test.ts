import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveSocket, type LiveStatus } from './live-socket';

class FakeSocket {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = WebSocket.OPEN;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

const latest = () => FakeSocket.instances[FakeSocket.instances.length - 1];

describe('LiveSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
  });
  afterEach(() => vi.useRealTimers());

  function start() {
    const statuses: LiveStatus[] = [];
    const socket = new LiveSocket({
      url: 'ws://desk.test/ws',
      getToken: async () => 'jwt-1',
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
      random: () => 0.5,
    });
    socket.onStatus((s) => statuses.push(s));
    socket.start();
    return { socket, statuses };
  }

  it('connects with the access token, pings every minute, and passes events on', async () => {
    const { socket, statuses } = start();
    await vi.runOnlyPendingTimersAsync();
    expect(latest().url).toBe('ws://desk.test/ws?token=jwt-1');
    latest().open();
    expect(statuses).toEqual(['connecting', 'live']);

    const events: unknown[] = [];
    socket.onEvent((e) => events.push(e));
    latest().onmessage?.({ data: '{"type":"pong"}' });
    latest().onmessage?.({ data: 'not json' });
    latest().onmessage?.({ data: '[{"type":"ticket.created"},{"type":"ticket.updated"},{"no":"type"}]' });
    expect(events).toEqual([{ type: 'pong' }, { type: 'ticket.created' }, { type: 'ticket.updated' }]);

    await vi.advanceTimersByTimeAsync(60_000);
    expect(latest().sent).toEqual(['{"action":"ping"}']);
  });

  it('reconnects with exponential backoff and announces the reconnect for catch-up', async () => {
    const { socket, statuses } = start();
    const reconnects = vi.fn();
    socket.onReconnect(reconnects);
    await vi.runOnlyPendingTimersAsync();
    latest().open();

    expect(socket.backoffMs(1)).toBe(1000);
    expect(socket.backoffMs(3)).toBe(4000);
    expect(socket.backoffMs(10)).toBe(30_000);

    latest().drop();
    expect(statuses.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.instances).toHaveLength(2);

    latest().drop(); // failed attempt: the next wait doubles
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.instances).toHaveLength(3);

    latest().open();
    expect(statuses.at(-1)).toBe('live');
    expect(reconnects).toHaveBeenCalledTimes(1);
  });

  it('stops cleanly at sign-out', async () => {
    const { socket, statuses } = start();
    await vi.runOnlyPendingTimersAsync();
    latest().open();
    socket.stop();
    expect(statuses.at(-1)).toBe('offline');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('asks for a renewed token after the server refused one, and only then', async () => {
    const renewals: boolean[] = [];
    const socket = new LiveSocket({
      url: 'ws://desk.test/ws',
      getToken: async (renew) => {
        renewals.push(renew);
        return renew ? 'jwt-renewed' : 'jwt-1';
      },
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
      random: () => 0.5,
    });
    socket.start();
    await vi.runOnlyPendingTimersAsync();
    latest().open();
    latest().drop(); // the server closed an open socket (e.g. the session was revoked elsewhere)
    await vi.advanceTimersByTimeAsync(1000);
    await vi.waitFor(() => expect(FakeSocket.instances).toHaveLength(2));
    expect(latest().url).toBe('ws://desk.test/ws?token=jwt-1'); // a dropped line is no reason to refresh

    latest().drop(); // refused before it opened: the token held is dead
    await vi.advanceTimersByTimeAsync(2000);
    await vi.waitFor(() => expect(FakeSocket.instances).toHaveLength(3));
    expect(latest().url).toBe('ws://desk.test/ws?token=jwt-renewed');
    latest().open();
    expect(renewals).toEqual([false, false, true]);
    socket.stop();
  });
});
