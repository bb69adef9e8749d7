import { describe, expect, it } from 'vitest';
import { canonicalSearch, searchToViewFilters, viewFiltersToSearch } from './views';

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
