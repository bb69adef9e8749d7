/** Shapes of the Pulsedesk REST API (/api/v1), shared by every feature. */

export type TicketStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type Channel = 'web' | 'api' | 'email';
export type Role = 'admin' | 'lead' | 'agent' | 'viewer';
export type Availability = 'online' | 'away' | 'offline' | (string & {});

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const ROLES: readonly Role[] = ['admin', 'lead', 'agent', 'viewer'];

export type Permission =
  | 'tickets.read'
  | 'tickets.write'
  | 'tickets.assign'
  | 'users.read'
  | 'users.manage'
  | 'settings.manage'
  | 'audit.read'
  | 'metrics.read'
  | 'api_keys.manage'
  | 'views.share'
  | 'webhooks.manage'
  | 'integrations.manage';

export const PERMISSIONS: readonly Permission[] = [
  'tickets.read',
  'tickets.write',
  'tickets.assign',
  'users.read',
  'users.manage',
  'settings.manage',
  'audit.read',
  'metrics.read',
  'api_keys.manage',
  'views.share',
  'webhooks.manage',
  'integrations.manage',
];

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Requester {
  email: string;
  name: string | null;
}

export interface Ticket {
  id: string;
  number: number;
  subject: string;
  description: string;
  requester: Requester;
  status: TicketStatus;
  priority: TicketPriority;
  assignee_id: string | null;
  queue: string | null;
  tags: string[];
  channel: Channel;
  created_at: string;
  updated_at: string;
  first_response_at: string | null;
  solved_at: string | null;
  sla_due_at: string | null;
  version: number;
}

/** The slimmer ticket that live events carry. */
export type TicketSummary = Pick<
  Ticket,
  | 'id'
  | 'number'
  | 'subject'
  | 'status'
  | 'priority'
  | 'assignee_id'
  | 'queue'
  | 'tags'
  | 'requester'
  | 'updated_at'
  | 'version'
> &
  Partial<Ticket>;

export interface CommentAuthor {
  id: string | null;
  name: string;
  kind: 'agent' | 'requester' | 'system' | (string & {});
}

export interface Comment {
  id: string;
  /** null for an internal note the reader's role may not read. */
  body: string | null;
  public: boolean;
  author: CommentAuthor;
  created_at: string;
}

export interface TicketWithComments {
  ticket: Ticket;
  comments: Comment[];
  /** Ids of the users who watch the ticket (emailed about comments, status changes and SLA breaches). */
  watchers: string[];
}

/** PUT and DELETE /tickets/{id}/watchers/{user_id} answer the watchers as they now are. */
export interface Watchers {
  watchers: string[];
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface HistoryEntry {
  at: string;
  actor: { id: string | null; name: string } | null;
  changes: FieldChange[];
  /** Why the change happened, e.g. `{automatic: true, reason}` for auto-assignment. */
  note?: string | Record<string, unknown> | null;
}

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  skills: string[];
  capacity: number | null;
  availability: Availability;
}

export interface Workspace {
  id: string;
  name: string;
  slug: string;
}

export interface Me {
  user: User;
  workspace: Workspace;
  permissions: Permission[];
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user?: User;
}

export interface ApiKey {
  id: string;
  name: string;
  scopes: Permission[];
  prefix: string;
  created_at?: string;
  last_used_at?: string | null;
}

export interface CreatedApiKey extends ApiKey {
  secret: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor: { id: string | null; name?: string; kind?: string } | string | null;
  action: string;
  target: { type?: string; id?: string; name?: string } | string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  source_ip: string | null;
}

/** Filters are the ticket list's query parameters, as the API names them. */
export type ViewFilters = Record<string, string | string[] | number | null>;

/** A view from GET /views: the built-in ones first (`builtin: true`, id `builtin:…`), then saved ones. */
export interface SavedView {
  id: string;
  name: string;
  filters: ViewFilters;
  shared: boolean;
  /** Built-in views (My open tickets, Unassigned, …) cannot be changed or deleted. */
  builtin?: boolean;
  count: number | null;
  /** The server stopped counting (at 1,000): the view holds at least `count` tickets. */
  count_capped?: boolean;
  /** False for a stored view whose filters can no longer be run; `error` says why (`count` is null). */
  runnable?: boolean;
  error?: ViewError | null;
  owner_id?: string | null;
}

/** Why a stored view cannot be run: a summary, and each filter at fault. */
export interface ViewError {
  detail: string;
  errors: { field: string; message: string }[];
}

export interface AgentLoad {
  user_id: string;
  name: string;
  availability: Availability;
  capacity: number | null;
  load: number;
  open_by_priority: Partial<Record<TicketPriority, number>>;
}

/** GET/PUT /me/notifications: which emails the signed-in user gets (PUT takes any subset). */
export interface NotificationPrefs {
  email_ticket_assigned: boolean;
  email_ticket_commented: boolean;
  email_sla_breached: boolean;
  email_watched_tickets: boolean;
}

export type SlackMode = 'bot' | 'incoming_webhook';

/** GET/PUT /integrations/slack: the bot token and webhook URL come back masked (`xoxb-…a1b2`). */
export interface SlackConnection {
  connected: boolean;
  mode?: SlackMode | null;
  channel?: string | null;
  bot_token?: string | null;
  webhook_url?: string | null;
  /** Masked; set when alerts carry the "Take it" button. */
  signing_secret?: string | null;
  alert_urgent?: boolean | null;
  alert_sla_breaches?: boolean | null;
  unassigned_after_minutes?: number | null;
  updated_at?: string | null;
}

/** PUT /integrations/slack: an omitted token or URL keeps the stored one (in the same mode). */
export interface SlackConnectionInput {
  mode: SlackMode;
  bot_token?: string;
  signing_secret?: string;
  channel?: string;
  webhook_url?: string;
  alert_urgent: boolean;
  alert_sla_breaches: boolean;
  unassigned_after_minutes: number | null;
}

/** The answer of a "send a test now" call (Slack or a webhook endpoint). */
export interface ConnectionTest {
  ok: boolean;
  status_code?: number | null;
  latency_ms: number | null;
  error: string | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

/** POST /webhooks answers the signing secret this once. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  outcome: 'delivered' | 'failed';
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
  at: string;
}

export interface Redelivery {
  queued: boolean;
  event_id: string;
}

/** A notification given up on after every retry. */
export interface DeadLetter {
  id: string;
  at: string;
  channel: string;
  event_type: string;
  event_id: string;
  target: string;
  error: string;
  attempts: number;
  replayed_at: string | null;
}

export interface ProblemField {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: ProblemField[];
  [extra: string]: unknown;
}
