import { describe, expect, it } from 'vitest';
import type { Page, SavedView } from '@/types/api';
import {
  builtInFallback,
  canonicalSearch,
  isViewSearch,
  navViews,
  searchToViewFilters,
  toNavView,
  viewFiltersToSearch,
} from './views';

describe('saved view filters <-> list URL', () => {
  it('reads the filters the server stores (lists, nulls, page size) as a canonical list query', () => {
    const stored = {
      status: ['open', 'new'],
      priority: ['urgent'],
      assignee: null,
      q: null,
      sort: '-updated_at',
      limit: 25,
    };
    expect(viewFiltersToSearch(stored as never)).toBe('status=new&status=open&priority=urgent');
  });

  it('saves the current list query in the shape GET /tickets validates', () => {
    expect(searchToViewFilters('priority=high&status=open&tag=vip')).toEqual({
      sort: '-updated_at',
      status: ['open'],
      priority: ['high'],
      tag: 'vip',
    });
  });

  it('treats reordered queries as the same view', () => {
    expect(canonicalSearch('tag=vip&status=open')).toBe(canonicalSearch('status=open&tag=vip'));
  });
});

/** A runnable saved view of the signed-in user, as GET /views answers it. */
function view(id: string, name: string, filters: SavedView['filters']): SavedView {
  return {
    id,
    name,
    filters,
    shared: false,
    builtin: false,
    owner_id: 'u-me',
    count: 0,
    count_capped: false,
    runnable: true,
    error: null,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
  };
}

describe('built-in and saved views', () => {
  const api: Page<SavedView> = {
    items: [
      {
        ...view('builtin:open', 'All open', { status: ['open'] }),
        shared: true,
        builtin: true,
        count: 3,
        owner_id: null,
      },
      { ...view('v1', 'Mine', { tag: 'vip' }), count: 0 },
    ],
    next_cursor: null,
  };

  it('splits the API answer into built-in and saved views, keeping counts (0 included)', () => {
    const { builtin, saved } = navViews(api, false);
    expect(builtin.map((v) => [v.id, v.count])).toEqual([['builtin:open', 3]]);
    expect(saved.map((v) => [v.id, v.search, v.count])).toEqual([['v1', 'tag=vip', 0]]);
  });

  it('carries why a stored view cannot be run, and nothing for one that can', () => {
    const broken: SavedView = {
      ...view('v2', 'Broken', {}),
      shared: true,
      count: null,
      runnable: false,
      error: {
        detail: 'filters.sort: must be one of …',
        errors: [{ field: 'filters.sort', message: 'must be one of …' }],
      },
    };
    expect(toNavView(broken).problem).toBe('filters.sort: must be one of …');
    expect(toNavView({ ...broken, error: null }).problem).toBe('Its filters can no longer be run.');
    expect(toNavView(api.items[1]).problem).toBeNull();
  });

  it('uses the client’s built-in filters, without counts, only when the call failed', () => {
    expect(navViews(undefined, false)).toEqual({ builtin: [], saved: [] });
    const fallback = navViews(undefined, true).builtin;
    expect(fallback.map((v) => v.id)).toEqual([
      'builtin:mine',
      'builtin:unassigned',
      'builtin:open',
      'builtin:urgent',
      'builtin:sla-at-risk',
      'builtin:spam',
    ]);
    expect(fallback.every((v) => v.count === null)).toBe(true);
  });

  it('treats the SLA-at-risk instant as moving: any instant is the same view', () => {
    const sla = builtInFallback(Date.parse('2025-01-01T10:00:00Z')).find((v) => v.id === 'builtin:sla-at-risk')!;
    expect(sla.search).toBe('sla_due_before=2025-01-01T11%3A00%3A00.000Z');
    expect(isViewSearch(sla, canonicalSearch('sla_due_before=2025-01-01T12:00:00Z'))).toBe(true);
    expect(isViewSearch(sla, canonicalSearch('sla_due_before=2025-01-01T12:00:00Z&status=open'))).toBe(false);
  });
});
