/** Unsent replies, kept per user and ticket in localStorage so a draft survives navigation and reloads. */
export interface ReplyDraftState {
  body: string;
  isPublic: boolean;
  cc: string;
}

const PREFIX = 'pulsedesk.draft';

export function draftKey(userId: string, ticketId: string): string {
  return `${PREFIX}.${userId}.${ticketId}`;
}

export function loadDraft(userId: string, ticketId: string, storage: Storage = localStorage): ReplyDraftState | null {
  try {
    const raw = storage.getItem(draftKey(userId, ticketId));
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<ReplyDraftState>;
    if (typeof value.body !== 'string') return null;
    return { body: value.body, isPublic: value.isPublic !== false, cc: typeof value.cc === 'string' ? value.cc : '' };
  } catch {
    return null; // storage off or a damaged entry: start empty
  }
}

/** An empty draft is removed rather than stored. */
export function saveDraft(
  userId: string,
  ticketId: string,
  draft: ReplyDraftState,
  storage: Storage = localStorage,
): void {
  try {
    if (!draft.body.trim() && !draft.cc.trim()) storage.removeItem(draftKey(userId, ticketId));
    else storage.setItem(draftKey(userId, ticketId), JSON.stringify(draft));
  } catch {
    // full or disabled storage: the draft lives as long as the page
  }
}

export function clearDraft(userId: string, ticketId: string, storage: Storage = localStorage): void {
  try {
    storage.removeItem(draftKey(userId, ticketId));
  } catch {
    // nothing to clear
  }
}
