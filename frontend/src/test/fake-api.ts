import { vi } from 'vitest';
import { api } from '@/lib/api-client';
import type { Me, Ticket } from '@/types/api';

export interface FakeRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

export type FakeResponse = { status?: number; body?: unknown };
export type FakeHandler = (request: FakeRequest) => FakeResponse | undefined;

export const BASE = 'http://pulsedesk.test/api/v1';

export function jsonResponse({ status = 200, body }: FakeResponse): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

/** Routes fetch calls made through the app's api client to `handler`; unknown calls answer 404. */
export function installFakeApi(handler: FakeHandler) {
  api.configure(BASE);
  api.setTokens({ access_token: 'access-1', refresh_token: 'refresh-1', expires_in: 900 });
  const calls: FakeRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const request: FakeRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname.replace('/api/v1', ''),
      search: url.searchParams,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
      headers: (init?.headers ?? {}) as Record<string, string>,
    };
    calls.push(request);
    return jsonResponse(handler(request) ?? { status: 404, body: { title: 'Not found', status: 404 } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export function makeTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 't1',
    number: 1001,
    subject: 'Printer on fire',
    description: 'It is on fire.',
    requester: { email: 'ana@example.com', name: 'Ana Lima' },
    status: 'open',
    priority: 'normal',
    assignee_id: null,
    queue: 'support',
    tags: [],
    channel: 'web',
    created_at: '2025-01-01T10:00:00Z',
    updated_at: '2025-01-02T10:00:00Z',
    first_response_at: null,
    solved_at: null,
    sla_due_at: null,
    sla: {
      policy_id: 'default',
      policy_name: 'Default',
      first_response_due_at: null,
      next_reply_due_at: null,
      resolution_due_at: null,
      paused: false,
      paused_at: null,
      state: 'none',
    },
    version: 1,
    ...overrides,
  };
}

export function makeMe(permissions: Me['permissions'] = ['tickets.read', 'tickets.write', 'users.read']): Me {
  return {
    user: {
      id: 'u-me',
      name: 'Maya Agent',
      email: 'maya@example.com',
      role: 'agent',
      active: true,
      skills: [],
      capacity: 10,
      availability: 'online',
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
      version: 1,
    },
    workspace: { id: 'w1', name: 'Demo', slug: 'demo' },
    permissions,
  };
}
