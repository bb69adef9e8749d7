import type { Problem, ProblemField, TokenPair } from '@/types/api';

/** A failed API call, carrying the RFC 9457 problem the server answered (or one made up for it). */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem, status: number) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.status = status;
    this.problem = problem;
  }

  get fieldErrors(): ProblemField[] {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** false for sign-in, sign-up and refresh: no bearer token, no refresh on 401. */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  now?: () => number;
  /** Web Locks, shared by the tabs of one origin; null to refresh without one (a single-tab client). */
  locks?: RefreshLocks | null;
}

/** The part of `navigator.locks` the client needs. */
export interface RefreshLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export type AuthListener = (signedIn: boolean) => void;

const REFRESH_KEY = 'pulsedesk.refresh_token';
export const REFRESH_LOCK = 'pulsedesk-refresh';
const EXPIRY_MARGIN_MS = 30_000;

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((item) => params.append(key, item));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The one way the app talks to the API: JSON in and out, bearer token, problem+json errors,
 * and a single shared token refresh (with rotation) when the access token has expired.
 * The access token lives in memory only; the refresh token also in localStorage for reloads.
 */
export class ApiClient {
  private baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly storage: ApiClientOptions['storage'];
  private readonly now: () => number;
  private readonly locks: RefreshLocks | null;
  private accessToken: string | null = null;
  private accessExpiresAt = 0;
  private refreshInFlight: Promise<boolean> | null = null;
  private readonly listeners = new Set<AuthListener>();

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '/api/v1').replace(/\/$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.storage = options.storage ?? safeLocalStorage();
    this.now = options.now ?? Date.now;
    this.locks = options.locks === undefined ? browserLocks() : options.locks;
  }

  configure(baseUrl: string): void {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  // --- session ----------------------------------------------------------------------------

  setTokens(pair: Pick<TokenPair, 'access_token' | 'refresh_token' | 'expires_in'>): void {
    this.accessToken = pair.access_token;
    this.accessExpiresAt = this.now() + pair.expires_in * 1000;
    this.storage?.setItem(REFRESH_KEY, pair.refresh_token);
    this.emit(true);
  }

  clearTokens(): void {
    const hadSession = this.hasSession();
    this.accessToken = null;
    this.accessExpiresAt = 0;
    this.storage?.removeItem(REFRESH_KEY);
    if (hadSession) this.emit(false);
  }

  refreshToken(): string | null {
    return this.storage?.getItem(REFRESH_KEY) ?? null;
  }

  hasSession(): boolean {
    return this.accessToken !== null || this.refreshToken() !== null;
  }

  /** Signing out in one tab signs every tab out (the stored refresh token disappears for all). */
  followOtherTabs(target: Pick<Window, 'addEventListener'>): void {
    target.addEventListener('storage', (event: StorageEvent) => {
      if ((event.key === REFRESH_KEY || event.key === null) && event.newValue === null && this.accessToken) {
        this.clearTokens();
      }
    });
  }

  onAuthChange(listener: AuthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An access token valid for at least a little while (refreshing first if needed, or whenever `renew`), or null. */
  async freshAccessToken(renew = false): Promise<string | null> {
    if (!renew && this.accessToken && this.accessExpiresAt - this.now() > EXPIRY_MARGIN_MS) return this.accessToken;
    return (await this.refresh()) ? this.accessToken : null;
  }

  /**
   * Refreshes the tokens; concurrent callers in this tab share one request, and tabs take turns
   * (a Web Lock), each re-reading the stored refresh token once it holds the lock: the server
   * rotates refresh tokens and treats a second use of one as theft, so no two tabs may ever send
   * the same one. Resolves false if the session is over.
   */
  refresh(): Promise<boolean> {
    this.refreshInFlight ??= (
      this.locks ? this.locks.request(REFRESH_LOCK, () => this.performRefresh()) : this.performRefresh()
    ).finally(() => {
      this.refreshInFlight = null;
    });
    return this.refreshInFlight;
  }

  private async performRefresh(): Promise<boolean> {
    // Read inside the lock: another tab may have rotated the token while this one waited.
    const refreshToken = this.refreshToken();
    if (!refreshToken) {
      this.clearTokens();
      return false;
    }
    try {
      const pair = await this.send<TokenPair>('POST', '/auth/refresh', {
        body: { refresh_token: refreshToken },
        auth: false,
      });
      this.setTokens(pair);
      return true;
    } catch (error) {
      // A refused refresh ends the session; a network failure keeps it for a later try.
      if (isApiError(error) && error.status >= 400 && error.status < 500) this.clearTokens();
      return false;
    }
  }

  private emit(signedIn: boolean): void {
    this.listeners.forEach((listener) => listener(signedIn));
  }

  // --- requests ---------------------------------------------------------------------------

  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, options);
  }
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = void>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    if (options.auth === false) return this.send<T>(method, path, options);
    if (!this.accessToken && this.refreshToken()) await this.refresh();
    const tokenUsed = this.accessToken;
    try {
      return await this.send<T>(method, path, options);
    } catch (error) {
      if (!isApiError(error, 401)) throw error;
      // Another request may already have refreshed while this one was in flight.
      const renewed = this.accessToken !== tokenUsed && this.accessToken !== null;
      if (!renewed && !(await this.refresh())) throw error;
      return this.send<T>(method, path, options);
    }
  }

  private async send<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      ...options.headers,
    };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.auth !== false && this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}${buildQuery(options.query)}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError(
        { title: 'Network error', detail: 'Could not reach Pulsedesk. Check your connection and try again.' },
        0,
      );
    }
    const payload = await readBody(response);
    if (!response.ok) throw new ApiError(toProblem(payload, response), response.status);
    return payload as T;
  }
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toProblem(payload: unknown, response: Response): Problem {
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    return { status: response.status, ...(payload as Problem) };
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}` };
}

function browserLocks(): RefreshLocks | null {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (!locks || typeof locks.request !== 'function') return null; // very old browsers: one tab at a time
  return { request: <T>(name: string, callback: () => Promise<T>) => locks.request(name, callback) as Promise<T> };
}

function safeLocalStorage(): ApiClientOptions['storage'] {
  try {
    return typeof window !== 'undefined' ? window.localStorage : undefined;
  } catch {
    return undefined; // storage disabled: the session then lasts for the page only
  }
}

/** The app's client; `main.tsx` points it at the configured base URL before the first render. */
export const api = new ApiClient();
