import { useMe } from '@/lib/auth';
import { useDocumentTitle } from '@/lib/document-title';
import type { Permission } from '@/types/api';

interface SettingsEntry {
  href: string;
  title: string;
  what: string;
  /** Shown only to people who have it; null: everyone who signs in. */
  permission: Permission | null;
}

interface SettingsGroup {
  title: string;
  entries: SettingsEntry[];
}

/** Every settings page, grouped as an admin thinks of them, each with a line saying what it is for. */
export const SETTINGS: SettingsGroup[] = [
  {
    title: 'You',
    entries: [
      {
        href: '/settings/notifications',
        title: 'Notifications',
        what: 'Which emails Pulsedesk sends you.',
        permission: null,
      },
      { href: '/account', title: 'Account', what: 'Your password and where you are signed in.', permission: null },
    ],
  },
  {
    title: 'How work flows',
    entries: [
      {
        href: '/settings/routing',
        title: 'Routing',
        what: 'Who gets new tickets: capacity, skills and automatic assignment.',
        permission: 'settings.manage',
      },
      {
        href: '/settings/queues',
        title: 'Queues',
        what: 'The queues tickets are sorted into, and who works each.',
        permission: 'settings.manage',
      },
      {
        href: '/settings/sla',
        title: 'SLA and business hours',
        what: 'Response and resolution targets, opening hours and holidays.',
        permission: 'settings.manage',
      },
      {
        href: '/settings/rules',
        title: 'Rules',
        what: 'What happens on its own when a ticket changes or time passes.',
        permission: 'rules.manage',
      },
    ],
  },
  {
    title: 'Where customers reach you',
    entries: [
      {
        href: '/settings/email',
        title: 'Email',
        what: 'Your support address, forwarding and the emails customers get.',
        permission: 'settings.manage',
      },
      {
        href: '/settings/portal',
        title: 'Portal and widget',
        what: 'The customer portal, the web form and the widget for your site.',
        permission: 'settings.manage',
      },
      {
        href: '/articles',
        title: 'Help centre and surveys',
        what: 'Articles customers find before they write to you, and the satisfaction survey.',
        permission: 'articles.manage',
      },
      {
        href: '/settings/integrations',
        title: 'Integrations',
        what: 'Slack alerts and webhooks to your other tools.',
        permission: 'integrations.manage',
      },
    ],
  },
  {
    title: 'Security',
    entries: [
      {
        href: '/team/api-keys',
        title: 'API keys',
        what: 'Keys for scripts and integrations, each with its own scopes.',
        permission: 'api_keys.manage',
      },
      {
        href: '/team/audit',
        title: 'Audit log',
        what: 'Who changed what, and when.',
        permission: 'audit.read',
      },
    ],
  },
];

/** The paths the Settings link in the main navigation stands for. */
export const SETTINGS_PATHS = ['/settings', ...SETTINGS.flatMap((g) => g.entries.map((e) => e.href))];

export function SettingsPage() {
  useDocumentTitle('Settings');
  const me = useMe();
  const permissions = me.data?.permissions ?? [];
  const groups = SETTINGS.map((group) => ({
    ...group,
    entries: group.entries.filter((e) => e.permission === null || permissions.includes(e.permission)),
  })).filter((group) => group.entries.length > 0);
  return (
    <div class="page page--narrow stack">
      <h1>Settings</h1>
      {groups.map((group) => {
        const id = `settings-${group.title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
        return (
          <section key={group.title} class="panel settings-group" aria-labelledby={id}>
            <h2 id={id}>{group.title}</h2>
            <ul class="settings-group__list">
              {group.entries.map((entry) => (
                <li key={entry.href}>
                  <a href={entry.href} class="settings-group__link">
                    {entry.title}
                  </a>
                  <p class="muted">{entry.what}</p>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
