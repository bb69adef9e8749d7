import { describe, expect, it } from 'vitest';
import type { Macro } from '@/types/api';
import { describeActions } from '../api/macros';
import { toInput } from './macro-form';
import { matchingMacros } from './macro-palette';

const macro = (name: string, actions: Macro['actions'], reply: Macro['reply'] = null): Macro => ({
  id: name,
  name,
  actions,
  reply,
  shared: true,
  owner_id: 'u',
  usage_count: 0,
  editable: true,
  created_at: '2026-11-30T00:00:00Z',
  updated_at: '2026-11-30T00:00:00Z',
});

describe('macros', () => {
  const solve = macro('Solved, thanks', [{ type: 'set_status', status: 'solved' }], { body: 'Hi', public: true });
  const vip = macro('Escalate VIP', [
    { type: 'add_tags', tags: ['vip'] },
    { type: 'set_assignee', assignee: 'router' },
  ]);

  it('describes what a macro does in words', () => {
    expect(describeActions(solve)).toEqual(['status → solved', 'public reply']);
    expect(describeActions(vip)).toEqual(['add vip', 'hand to automatic assignment']);
  });

  it('filters by every typed word, in the name or what it does', () => {
    expect(matchingMacros([solve, vip], 'esc')).toEqual([vip]);
    expect(matchingMacros([solve, vip], 'public solved')).toEqual([solve]);
    expect(matchingMacros([solve, vip], '')).toEqual([solve, vip]);
  });

  it('turns the form into typed actions, leaving out what is left as it is', () => {
    const input = toInput({
      name: 'X',
      shared: false,
      status: 'pending',
      priority: '',
      queue: '',
      addTags: 'a, b c',
      removeTags: '',
      assignee: 'unassign',
      replyBody: '  ',
      replyPublic: true,
    });
    expect(input.actions).toEqual([
      { type: 'set_status', status: 'pending' },
      { type: 'add_tags', tags: ['a', 'b', 'c'] },
      { type: 'set_assignee', assignee: 'unassign' },
    ]);
    expect(input.reply).toBeNull();
  });
});
