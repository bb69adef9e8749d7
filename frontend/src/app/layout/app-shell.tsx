import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { signOut } from '@/features/auth/api/sessions';
import { LiveIndicator } from '@/features/live/components/live-indicator';
import { LiveUpdates } from '@/features/live/components/live-updates';
import { AvailabilitySwitch } from '@/features/team/components/availability-switch';
import { builtInSearch } from '@/features/views/api/views';
import { useCan, useMe } from '@/lib/auth';
import { useShortcut } from '@/lib/shortcuts';
import { SETTINGS_PATHS } from '../routes/settings';
import { ShortcutsHelp } from './shortcuts-help';

/** `section`: the other paths the link stands for (marked as where you are, not as this page). */
function NavLink({ href, section = [], children }: { href: string; section?: string[]; children: ComponentChildren }) {
  const { path } = useLocation();
  const here = href === '/' ? path === '/' || path.startsWith('/tickets') : path === href;
  const within = !here && section.includes(path);
  return (
    <a href={href} class="nav__link" aria-current={here ? 'page' : within ? 'location' : undefined}>
      {children}
    </a>
  );
}

function useGlobalShortcuts(openHelp: () => void) {
  const { route, path } = useLocation();
  const go = (viewId: Parameters<typeof builtInSearch>[0]) => route(`/?${builtInSearch(viewId)}`);
  useShortcut('?', openHelp);
  useShortcut('g i', () => go('builtin:mine'));
  useShortcut('g u', () => go('builtin:unassigned'));
  useShortcut('g a', () => go('builtin:open'));
  useShortcut('/', () => {
    if (path !== '/') route('/');
    // The search box exists once the dashboard has rendered.
    setTimeout(() => document.getElementById('ticket-search')?.focus(), path === '/' ? 0 : 50);
  });
}

/** Moves focus to the main region when the page (not just its query string) changes. */
function useFocusOnNavigation(main: { current: HTMLElement | null }) {
  const { path } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: false });
  }, [path]);
}

export function AppShell({ children }: { children: ComponentChildren }) {
  const me = useMe();
  const canManageUsers = useCan('users.manage');
  const canSeeMetrics = useCan('metrics.read');
  const canManageTeam = canManageUsers || canSeeMetrics;
  const canWrite = useCan('tickets.write');
  const [helpOpen, setHelpOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  useGlobalShortcuts(() => setHelpOpen(true));
  useFocusOnNavigation(main);

  return (
    <div class="shell">
      <a href="#main" class="skip-link">
        Skip to content
      </a>
      <header class="topbar">
        <a href="/" class="brand">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span class="brand__name">Pulsedesk</span>
          {me.data && <span class="brand__workspace">{me.data.workspace.name}</span>}
        </a>
        <nav class="nav" aria-label="Main">
          <NavLink href="/">Tickets</NavLink>
          {canWrite && <NavLink href="/tickets/new">New ticket</NavLink>}
          {canWrite && <NavLink href="/macros">Macros</NavLink>}
          {canSeeMetrics && <NavLink href="/performance">Performance</NavLink>}
          {canManageTeam && <NavLink href="/team">Team</NavLink>}
          <NavLink href="/settings" section={SETTINGS_PATHS}>
            Settings
          </NavLink>
        </nav>
        <div class="topbar__end">
          <LiveIndicator />
          {canWrite && <AvailabilitySwitch />}
          <button
            type="button"
            class="button button--quiet button--icon"
            onClick={() => setHelpOpen(true)}
            aria-keyshortcuts="?"
          >
            <span aria-hidden="true">?</span>
            <span class="visually-hidden">Keyboard shortcuts</span>
          </button>
          {me.data && (
            <span class="user-chip" title={me.data.user.email}>
              {me.data.user.name} <span class="user-chip__role">{me.data.user.role}</span>
            </span>
          )}
          <button type="button" class="button button--quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} class="main">
        {children}
      </main>
      <LiveUpdates currentUserId={me.data?.user.id ?? null} />
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
    </div>
  );
}
