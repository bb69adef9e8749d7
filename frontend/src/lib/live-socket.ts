import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** A server event; `type` is one of ticket.created, ticket.updated, comment.created, presence, pong. */
export interface LiveEvent {
  type: string;
  [key: string]: unknown;
}

export type LiveMessage =
  { action: 'ping' } | { action: 'viewing'; ticket_id: string } | { action: 'typing'; ticket_id: string };

export interface LiveSocketOptions {
  url: string;
  /**
   * Resolves a currently valid access token, or null when signed out. `renew` asks for a new one even
   * if the one held has not expired: the server refused it (revoked after a sign-out elsewhere, a role
   * change or a new password) and a refresh gives one that works.
   */
  getToken: (renew: boolean) => Promise<string | null>;
  createSocket?: (url: string) => WebSocket;
  pingIntervalMs?: number;
  maxBackoffMs?: number;
  /** After this many failed attempts in a row the indicator says Offline (retries continue). */
  offlineAfterAttempts?: number;
  random?: () => number;
}

type EventListener = (event: LiveEvent) => void;
type StatusListener = (status: LiveStatus) => void;
type ReconnectListener = () => void;

/**
 * One WebSocket to the live-events gateway: pings every minute (the gateway drops idle sockets),
 * reconnects with capped exponential backoff and jitter, and tells listeners when it has
 * reconnected so they can catch up on what they missed.
 */
export class LiveSocket {
  private socket: WebSocket | null = null;
  private status: LiveStatus = 'offline';
  private attempts = 0;
  private everOpened = false;
  private refusedLastTime = false;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private readonly eventListeners = new Set<EventListener>();
  private readonly statusListeners = new Set<StatusListener>();
  private readonly reconnectListeners = new Set<ReconnectListener>();
  private readonly options: Required<LiveSocketOptions>;

  constructor(options: LiveSocketOptions) {
    this.options = {
      createSocket: (url) => new WebSocket(url),
      pingIntervalMs: 60_000,
      maxBackoffMs: 30_000,
      offlineAfterAttempts: 6,
      random: Math.random,
      ...options,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.setStatus('connecting');
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'signed out');
    this.attempts = 0;
    this.everOpened = false;
    this.setStatus('offline');
  }

  getStatus(): LiveStatus {
    return this.status;
  }

  /** Sends when connected; messages while disconnected are dropped (presence is re-sent on its own). */
  send(message: LiveMessage): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onReconnect(listener: ReconnectListener): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Delay before retry number `attempt` (1-based): 1 s, 2 s, 4 s … capped, with ±20 % jitter. */
  backoffMs(attempt: number): number {
    const base = Math.min(this.options.maxBackoffMs, 1000 * 2 ** (attempt - 1));
    return Math.round(base * (0.8 + 0.4 * this.options.random()));
  }

  private async connect(): Promise<void> {
    const token = await this.options.getToken(this.refusedLastTime).catch(() => null);
    if (this.stopped) return;
    if (!token) return this.scheduleRetry();
    const url = new URL(this.options.url);
    url.searchParams.set('token', token);
    const socket = this.options.createSocket(url.toString());
    this.socket = socket;
    socket.onopen = () => this.handleOpen(socket);
    this.refusedLastTime = true; // until it opens: a socket that closes first was refused (or never reached)
    socket.onmessage = (message) => this.handleMessage(message);
    socket.onclose = () => this.handleClose(socket);
  }

  private handleOpen(socket: WebSocket): void {
    if (socket !== this.socket) return;
    const isReconnect = this.everOpened;
    this.everOpened = true;
    this.refusedLastTime = false;
    this.attempts = 0;
    this.setStatus('live');
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.send({ action: 'ping' }), this.options.pingIntervalMs);
    if (isReconnect) this.reconnectListeners.forEach((listener) => listener());
  }

  private handleMessage(message: MessageEvent): void {
    let payload: unknown;
    try {
      payload = JSON.parse(String(message.data));
    } catch {
      return; // not ours to understand
    }
    // One message carries one event, or (under load) every event of a batch, in order.
    for (const event of Array.isArray(payload) ? payload : [payload]) {
      if (event && typeof event === 'object' && typeof (event as LiveEvent).type === 'string') {
        this.eventListeners.forEach((listener) => listener(event as LiveEvent));
      }
    }
  }

  private handleClose(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.socket = null;
    clearInterval(this.pingTimer);
    if (!this.stopped) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.attempts += 1;
    const offline =
      this.attempts >= this.options.offlineAfterAttempts ||
      (typeof navigator !== 'undefined' && navigator.onLine === false);
    this.setStatus(offline ? 'offline' : 'reconnecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), this.backoffMs(this.attempts));
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.statusListeners.forEach((listener) => listener(status));
  }
}

export const LiveSocketContext = createContext<LiveSocket | null>(null);

export function useLiveSocket(): LiveSocket | null {
  return useContext(LiveSocketContext);
}

export function useLiveStatus(): LiveStatus {
  const socket = useLiveSocket();
  const [status, setStatus] = useState<LiveStatus>(() => socket?.getStatus() ?? 'offline');
  useEffect(() => {
    if (!socket) return;
    setStatus(socket.getStatus());
    return socket.onStatus(setStatus);
  }, [socket]);
  return status;
}

/** Subscribes to live events for the component's lifetime. */
export function useLiveEvents(listener: EventListener): void {
  const socket = useLiveSocket();
  useEffect(() => socket?.onEvent(listener), [socket, listener]);
}
