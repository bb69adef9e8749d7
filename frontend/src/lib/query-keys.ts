/**
 * Query keys shared across features: the live feature writes into caches that the tickets and
 * ticket-detail features read, so the keys are one contract kept here.
 */
export const queryKeys = {
  me: ['me'] as const,
  ticketLists: ['tickets', 'list'] as const,
  ticketList: (search: string) => ['tickets', 'list', search] as const,
  ticket: (id: string) => ['ticket', id] as const,
  ticketHistory: (id: string) => ['ticket', id, 'history'] as const,
  views: ['views'] as const,
  users: ['users'] as const,
  agentLoad: ['agents', 'load'] as const,
  apiKeys: ['api-keys'] as const,
  audit: ['audit'] as const,
  notificationPrefs: ['notification-prefs'] as const,
  slack: ['integrations', 'slack'] as const,
  webhooks: ['webhooks'] as const,
  webhookDeliveries: (endpointId: string) => ['webhooks', endpointId, 'deliveries'] as const,
  deadLetters: ['notifications', 'dead-letters'] as const,
  metrics: ['metrics'] as const,
  metricsFor: (search: string) => ['metrics', search] as const,
  businessHours: ['settings', 'business-hours'] as const,
  slaPolicies: ['sla-policies'] as const,
  emailSettings: ['settings', 'email'] as const,
  emailTest: (messageId: string) => ['settings', 'email', 'tests', messageId] as const,
  emailSuppressions: ['settings', 'email', 'suppressions'] as const,
  requesterEmail: (ticketId: string) => ['ticket', ticketId, 'requester-email'] as const,
  macros: ['macros'] as const,
};
