/**
 * Shapes of the Pulsedesk REST API (/api/v1), shared by every feature: names over the types generated
 * from the OpenAPI document the server builds from its response models (`openapi.gen.ts`; regenerate
 * with `make api-types` or `npm run gen:api`, never by hand). A test fails when that file is stale.
 */
import type { components } from './openapi.gen';

type Schemas = components['schemas'];

export type Ticket = Schemas['TicketOut'];
export type TicketStatus = Ticket['status'];
export type TicketPriority = Ticket['priority'];
export type Channel = NonNullable<Schemas['TicketCreateIn']['channel']>;
export type User = Schemas['UserOut'];
export type Role = User['role'];
export type Availability = User['availability'];
export type Permission = Schemas['ApiKeyCreateIn']['scopes'][number];

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const ROLES: readonly Role[] = ['admin', 'lead', 'agent', 'viewer'];

/** Every permission, in the order the API-key form lists them (`satisfies` keeps it in step with the API). */
export const PERMISSIONS = [
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
  'macros.share',
  'rules.manage',
  'articles.manage',
] as const satisfies readonly Permission[];
/** The portal's permission: a requester's alone, never a member's or an API key's to hold. */
export type RequesterOnlyPermission = 'requests.own';
/** Compiles only while PERMISSIONS lists every permission the API knows (but the requester's). */
export type EveryPermissionListed = AssertTrue<
  [Exclude<Permission, (typeof PERMISSIONS)[number] | RequesterOnlyPermission>] extends [never] ? true : false
>;
type AssertTrue<T extends true> = T;

/** The paged lists: `{items, next_cursor}`. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type Requester = Ticket['requester'];

/** The slimmer ticket that live events carry (the live socket is not part of the OpenAPI). */
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

export type Comment = Schemas['CommentOut'];
export type CommentAuthor = Comment['author'];
/** A file that came with an email, listed on its comment (or on the ticket, for the opening message). */
export type Attachment = Schemas['AttachmentOut'];
/** GET /tickets/{id}/attachments/{attachment_id}: a short-lived presigned download link. */
export type AttachmentLink = Schemas['AttachmentLinkOut'];
export type TicketWithComments = Schemas['TicketWithConversationOut'];
/** PUT and DELETE /tickets/{id}/watchers/{user_id} answer the watchers as they now are. */
export type Watchers = Schemas['WatchersOut'];
export type HistoryEntry = Schemas['HistoryEntryOut'];
export type FieldChange = HistoryEntry['changes'][number];

export type Workspace = Schemas['WorkspaceOut'];
/** The app signs in people, never API keys: its /me always has a user (an API key's has none). */
export type Me = Schemas['MeOut'] & { user: User };
export type TokenPair = Schemas['TokensOut'];
export type ApiKey = Schemas['ApiKeyOut'];
export type CreatedApiKey = Schemas['ApiKeyCreatedOut'];
export type AuditEvent = Schemas['AuditEventOut'];

export type SavedView = Schemas['ViewOut'];
/** Filters are the ticket list's query parameters, as the API names them. */
export type ViewFilters = SavedView['filters'];
/** Why a stored view cannot be run: a summary, and each filter at fault. */
export type ViewError = Schemas['ViewErrorOut'];

export type AgentLoad = Schemas['AgentLoadOut'];
/** GET/PUT /me/notifications: which emails the signed-in user gets (PUT takes any subset). */
export type NotificationPrefs = Schemas['NotificationPrefsOut'];

/** GET /settings/email: the support address, the additional addresses (each to a queue), how to forward. */
export type EmailSettings = Schemas['EmailSettingsOut'];
export type EmailAddress = Schemas['EmailAddressOut'];
export type EmailAddressInput = Schemas['EmailAddressIn'];
/** POST /settings/email/test answers the test's id; GET /settings/email/tests/{id} whether it came back. */
export type EmailTestSent = Schemas['EmailTestSentOut'];
export type EmailTestStatus = Schemas['EmailTestStatusOut'];
export type Suppression = Schemas['SuppressionOut'];
export type SuppressionList = Schemas['SuppressionListOut'];
export type RequesterEmail = Schemas['RequesterEmailOut'];

/** GET/PUT /integrations/slack: the bot token and webhook URL come back masked (`xoxb-…a1b2`). */
export type SlackConnection = Schemas['SlackConnectionOut'];
/** PUT /integrations/slack: an omitted token or URL keeps the stored one (in the same mode). */
export type SlackConnectionInput = Schemas['SlackConnectionIn'];
export type SlackMode = SlackConnectionInput['mode'];
/** The answer of a "send a test now" call (Slack or a webhook endpoint). */
export type ConnectionTest = Schemas['ConnectionTestOut'];

export type WebhookEndpoint = Schemas['WebhookOut'];
/** POST /webhooks answers the signing secret this once. */
export type CreatedWebhookEndpoint = Schemas['WebhookCreatedOut'];
export type WebhookDelivery = Schemas['WebhookDeliveryOut'];
export type Redelivery = Schemas['RedeliveryOut'];
/** A notification given up on after every retry. */
export type DeadLetter = Schemas['DeadLetterOut'];

export type ProblemField = Schemas['FieldProblemOut'];
/** An RFC 9457 problem; some carry more members (a conflict's `current`, a rate limit's `retry_after`). */
export type Problem = Partial<Schemas['Problem']> & { [extra: string]: unknown };

/** The team's performance over a period (GET /metrics). */
export type Metrics = Schemas['MetricsOut'];
export type MetricsGoal = Schemas['GoalCardOut'];
export type MetricsGroup = Schemas['MetricsGroupOut'];
export type MetricsTerm = Schemas['TermOut'];
export type MetricsGroupBy = Metrics['group_by'];
export type MetricsTickets = Schemas['MetricsTicketsOut'];

export type Macro = Schemas['MacroOut'];
export type MacroAction = Macro['actions'][number];
export type MacroInput = Schemas['MacroIn'];
export type MacroPreview = Schemas['MacroPreviewOut'];
export type MacroApplied = Schemas['MacroAppliedOut'];
export type Merged = Schemas['MergedOut'];
