import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';

type Schemas = components['schemas'];
export type Rule = Schemas['RuleOut'];
export type RuleList = Schemas['RuleListOut'];
export type RuleInput = Schemas['RuleDefinition'];
export type RulePatch = Schemas['RulePatchIn'];
export type RuleTestResult = Schemas['RuleTestOut'];
export type RuleRuns = Schemas['RuleRunListOut'];
export type Trigger = Schemas['Trigger'];
export type Condition = Schemas['Condition'];
export type RuleAction = RuleInput['actions'][number];
export type ConditionField = Condition['field'];
export type Operator = Condition['op'];

export const rulesKey = ['rules'] as const;
export const ruleRunsKey = (id: string) => ['rules', id, 'runs'] as const;

export function useRules() {
  return useQuery({ queryKey: rulesKey, queryFn: ({ signal }) => api.get<RuleList>('/rules', { signal }) });
}

export function useRuleRuns(id: string) {
  return useQuery({
    queryKey: ruleRunsKey(id),
    queryFn: ({ signal }) => api.get<RuleRuns>(`/rules/${encodeURIComponent(id)}/runs`, { signal }),
  });
}

export const createRule = (input: RuleInput) => api.post<Rule>('/rules', input);
export const updateRule = (id: string, patch: RulePatch) => api.patch<Rule>(`/rules/${encodeURIComponent(id)}`, patch);
export const deleteRule = (id: string) => api.delete(`/rules/${encodeURIComponent(id)}`);
export const reorderRules = (ids: string[]) => api.put<RuleList>('/rules/order', { ids });
export const testRule = (id: string, number: number) =>
  api.post<RuleTestResult>(`/rules/${encodeURIComponent(id)}/test`, { number });

/** The ids with ``id`` moved from its place to ``to`` (drag and drop, or one step by keyboard). */
export function movedTo(ids: string[], id: string, to: number): string[] {
  const from = ids.indexOf(id);
  if (from < 0 || to < 0 || to >= ids.length || from === to) return ids;
  const next = ids.filter((other) => other !== id);
  next.splice(to, 0, id);
  return next;
}

/** Each condition field with its label, operators and what its value is. */
export const CONDITION_FIELDS: Record<
  ConditionField,
  {
    label: string;
    ops: Operator[];
    value: 'choice' | 'text' | 'list' | 'hours' | 'bool' | 'none';
    choices?: string[];
    timeOnly?: boolean;
  }
> = {
  status: {
    label: 'Status',
    ops: ['is', 'is_not', 'in', 'not_in'],
    value: 'choice',
    choices: ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'],
  },
  priority: {
    label: 'Priority',
    ops: ['is', 'is_not', 'in', 'not_in'],
    value: 'choice',
    choices: ['urgent', 'high', 'normal', 'low'],
  },
  queue: { label: 'Queue', ops: ['is', 'is_not', 'in', 'not_in'], value: 'text' },
  tags: { label: 'Tags', ops: ['includes', 'excludes'], value: 'list' },
  channel: {
    label: 'Channel',
    ops: ['is', 'is_not', 'in', 'not_in'],
    value: 'choice',
    choices: ['web', 'api', 'email'],
  },
  requester_email: { label: 'Requester email', ops: ['is', 'is_not', 'contains', 'ends_with'], value: 'text' },
  requester_domain: { label: 'Requester domain', ops: ['is', 'is_not', 'in', 'not_in'], value: 'text' },
  assignee: { label: 'Assignee (user id)', ops: ['is', 'is_not', 'set', 'not_set'], value: 'text' },
  subject: { label: 'Subject', ops: ['contains', 'not_contains'], value: 'text' },
  description: { label: 'Description', ops: ['contains', 'not_contains'], value: 'text' },
  business_hours: { label: 'Inside business hours', ops: ['is'], value: 'bool' },
  sla: { label: 'SLA', ops: ['is', 'is_not'], value: 'choice', choices: ['ok', 'at_risk', 'breached', 'none'] },
  hours_since_created: { label: 'Hours since created', ops: ['at_least', 'less_than'], value: 'hours', timeOnly: true },
  hours_since_updated: { label: 'Hours since updated', ops: ['at_least', 'less_than'], value: 'hours', timeOnly: true },
  hours_since_pending: { label: 'Hours since pending', ops: ['at_least', 'less_than'], value: 'hours', timeOnly: true },
  hours_since_solved: { label: 'Hours since solved', ops: ['at_least', 'less_than'], value: 'hours', timeOnly: true },
  hours_since_requester_reply: {
    label: 'Hours since the requester’s unanswered reply',
    ops: ['at_least', 'less_than'],
    value: 'hours',
    timeOnly: true,
  },
};

export const OPERATOR_LABELS: Record<Operator, string> = {
  is: 'is',
  is_not: 'is not',
  in: 'is one of',
  not_in: 'is none of',
  includes: 'include any of',
  excludes: 'include none of',
  contains: 'contains',
  not_contains: 'does not contain',
  ends_with: 'ends with',
  set: 'is set',
  not_set: 'is not set',
  at_least: 'at least',
  less_than: 'less than',
};

export const ACTION_TYPES: { type: RuleAction['type']; label: string }[] = [
  { type: 'set_status', label: 'Set status' },
  { type: 'set_priority', label: 'Set priority' },
  { type: 'set_queue', label: 'Set queue' },
  { type: 'add_tags', label: 'Add tags' },
  { type: 'remove_tags', label: 'Remove tags' },
  { type: 'set_assignee', label: 'Set assignee' },
  { type: 'add_note', label: 'Add internal note' },
  { type: 'add_reply', label: 'Add public reply' },
  { type: 'send_email', label: 'Send email' },
  { type: 'post_slack', label: 'Post to Slack' },
  { type: 'send_webhook', label: 'Send webhook event' },
  { type: 'apply_macro', label: 'Apply macro' },
];

/** A new action of ``type`` with empty values the form fills in. */
export function blankAction(type: RuleAction['type']): RuleAction {
  switch (type) {
    case 'set_status':
      return { type, status: 'open' };
    case 'set_priority':
      return { type, priority: 'high' };
    case 'set_queue':
      return { type, queue: '' };
    case 'add_tags':
    case 'remove_tags':
      return { type, tags: [] };
    case 'set_assignee':
      return { type, assignee: 'router' };
    case 'add_note':
    case 'add_reply':
      return { type, body: '' };
    case 'send_email':
      return { type, to: 'requester', subject: '', body: '' };
    case 'post_slack':
      return { type, text: '' };
    case 'send_webhook':
      return { type, endpoint_id: '' };
    case 'apply_macro':
      return { type, macro_id: '' };
  }
}

/** A condition in words: "Priority is urgent". */
export function describeCondition(condition: Condition): string {
  const field = CONDITION_FIELDS[condition.field];
  const value = Array.isArray(condition.value) ? condition.value.join(', ') : condition.value;
  return [field.label, OPERATOR_LABELS[condition.op], value === null || value === undefined ? '' : String(value)]
    .filter(Boolean)
    .join(' ');
}

export function describeTrigger(trigger: Trigger): string {
  if (trigger.event === 'created') return 'a ticket is created';
  if (trigger.event === 'rated') return 'a ticket is rated';
  if (trigger.event === 'comment_added')
    return trigger.author && trigger.author !== 'any' ? `the ${trigger.author} adds a comment` : 'a comment is added';
  const field = trigger.field ? `${trigger.field} changes` : 'a ticket is updated';
  const from = trigger.changed_from ? ` from ${trigger.changed_from}` : '';
  const to = trigger.changed_to ? ` to ${trigger.changed_to}` : '';
  return `${field}${from}${to}`;
}

/** An action in words: "set status closed", "add tags vip, eu", "email the requester". */
export function describeAction(action: RuleAction): string {
  switch (action.type) {
    case 'set_status':
      return `set status ${action.status}`;
    case 'set_priority':
      return `set priority ${action.priority}`;
    case 'set_queue':
      return `move to queue ${action.queue}`;
    case 'add_tags':
      return `add tags ${action.tags.join(', ')}`;
    case 'remove_tags':
      return `remove tags ${action.tags.join(', ')}`;
    case 'set_assignee':
      return action.assignee === 'router' ? 'hand to automatic assignment' : `assign ${action.assignee}`;
    case 'add_note':
      return 'add an internal note';
    case 'add_reply':
      return 'reply publicly';
    case 'send_email':
      return action.to === 'requester' ? 'email the requester' : `email user ${action.user_id ?? ''}`;
    case 'post_slack':
      return 'post to Slack';
    case 'send_webhook':
      return `send a webhook event to ${action.endpoint_id}`;
    case 'apply_macro':
      return `apply macro ${action.macro_id}`;
  }
}
