import { describe, expect, it } from 'vitest';
import { describeAction, describeCondition, describeTrigger, movedTo } from './rules';

describe('movedTo', () => {
  it('moves a rule to a new place, keeping the others in order', () => {
    expect(movedTo(['a', 'b', 'c', 'd'], 'd', 1)).toEqual(['a', 'd', 'b', 'c']);
    expect(movedTo(['a', 'b', 'c'], 'a', 2)).toEqual(['b', 'c', 'a']);
  });
  it('leaves the order alone for a move outside the list or onto itself', () => {
    const ids = ['a', 'b'];
    expect(movedTo(ids, 'a', -1)).toBe(ids);
    expect(movedTo(ids, 'b', 2)).toBe(ids);
    expect(movedTo(ids, 'b', 1)).toBe(ids);
    expect(movedTo(ids, 'x', 0)).toBe(ids);
  });
});

describe('rules in words', () => {
  it('says what a condition, a trigger and an action do', () => {
    expect(describeCondition({ field: 'priority', op: 'in', value: ['urgent', 'high'] })).toBe(
      'Priority is one of urgent, high',
    );
    expect(describeCondition({ field: 'assignee', op: 'not_set', value: null })).toBe('Assignee (user id) is not set');
    expect(describeTrigger({ event: 'updated', field: 'status', changed_to: 'solved' })).toBe(
      'status changes to solved',
    );
    expect(describeTrigger({ event: 'comment_added', author: 'requester' })).toBe('the requester adds a comment');
    expect(describeAction({ type: 'set_status', status: 'closed' })).toBe('set status closed');
    expect(describeAction({ type: 'set_assignee', assignee: 'router' })).toBe('hand to automatic assignment');
  });
});
