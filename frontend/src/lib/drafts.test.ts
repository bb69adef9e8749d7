import { beforeEach, describe, expect, it } from 'vitest';
import { clearDraft, draftKey, loadDraft, saveDraft } from './drafts';

describe('reply drafts', () => {
  beforeEach(() => localStorage.clear());

  it('are kept per user and ticket', () => {
    saveDraft('u1', 't1', { body: 'Hello', isPublic: false, cc: '' });
    expect(loadDraft('u1', 't1')).toEqual({ body: 'Hello', isPublic: false, cc: '' });
    expect(loadDraft('u2', 't1')).toBeNull();
    expect(loadDraft('u1', 't2')).toBeNull();
  });

  it('are removed when emptied or cleared, and a damaged entry reads as none', () => {
    saveDraft('u1', 't1', { body: 'Hello', isPublic: true, cc: '' });
    saveDraft('u1', 't1', { body: '  ', isPublic: true, cc: '' });
    expect(localStorage.getItem(draftKey('u1', 't1'))).toBeNull();
    saveDraft('u1', 't1', { body: 'Again', isPublic: true, cc: '' });
    clearDraft('u1', 't1');
    expect(loadDraft('u1', 't1')).toBeNull();
    localStorage.setItem(draftKey('u1', 't1'), '{not json');
    expect(loadDraft('u1', 't1')).toBeNull();
  });
});
