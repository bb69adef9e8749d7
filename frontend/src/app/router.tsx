import type { ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';
import { ErrorBoundary, lazy, Route, Router, useLocation } from 'preact-iso';
import { Loading } from '@/components/status';
import { useMe, useSignedIn } from '@/lib/auth';
import type { Permission } from '@/types/api';
import { AppShell } from './layout/app-shell';
import { AuditPage } from './routes/audit';
import { DashboardPage } from './routes/dashboard';
import { EmailSettingsPage } from './routes/email-settings';
import { IntegrationsPage } from './routes/integrations';
import { SlackOAuthCallback } from '@/features/integrations/components/add-to-slack';
import { MacrosPage } from './routes/macros';
import { NewTicketPage } from './routes/new-ticket';
import { NotFoundPage, ForbiddenPage } from './routes/not-found';
import { NotificationsPage } from './routes/notifications';
import { RulesPage } from './routes/rules';
import { QueuesPage } from './routes/queues';
import { AccountPage } from './routes/account';
import {
  AcceptInvitationPage,
  ConfirmSignUpPage,
  ForgotPasswordPage,
  ResetPasswordPage,
  SignInPage,
  SignUpPage,
} from './routes/auth';
import { PortalRoute } from './routes/portal';
import { PortalSettingsPage } from './routes/portal-settings';
import { SettingsPage } from './routes/settings';
import { SlaSettingsPage } from './routes/sla';
import { ApiKeysPage, TeamPage } from './routes/team';
import { TicketPage } from './routes/ticket';

const PUBLIC_PATHS = [
  '/sign-in',
  '/sign-up',
  '/sign-up/confirm',
  '/forgot-password',
  '/reset-password',
  '/accept-invitation',
];
// An emailed link may be opened while signed in to another workspace: it still has to be followed.
const ALWAYS_PUBLIC = ['/sign-up/confirm', '/reset-password', '/accept-invitation'];

function FramedRefusal() {
  return (
    <p class="boot">
      <a href="/" target="_top">
        Open Pulsedesk in its own window
      </a>
    </p>
  );
}

function Redirect({ to }: { to: string }) {
  const { route } = useLocation();
  useEffect(() => route(to, true), [to]);
  return null;
}

/** A page that needs a permission: the page, or a plain "not allowed" (its nav link is hidden anyway). */
function guarded(Page: ComponentType, permission: Permission): ComponentType {
  return function Guarded() {
    const me = useMe();
    if (me.isPending) return <Loading />;
    return me.data?.permissions.includes(permission) ? <Page /> : <ForbiddenPage />;
  };
}

// The Performance page and its chart library load on demand: the first page stays small.
const PerformancePage = lazy(() => import('./routes/performance').then((m) => m.PerformancePage));

// Customers' pages (help centre, satisfaction survey): no sign-in, loaded on demand.
const SelfServicePage = lazy(() => import('./routes/self-service').then((m) => m.SelfServicePage));
const RoutingPage = lazy(() => import('./routes/routing').then((m) => m.RoutingPage));
const ArticlesPage = lazy(() => import('./routes/articles').then((m) => m.ArticlesPage));
const SELF_SERVICE = /^\/(portal\/[^/]+\/help(\/|$)|csat\/)/;

const TeamRoute = guarded(TeamPage, 'users.read');
const PerformanceRoute = guarded(PerformancePage, 'metrics.read');
const ApiKeysRoute = guarded(ApiKeysPage, 'api_keys.manage');
const AuditRoute = guarded(AuditPage, 'audit.read');
const NewTicketRoute = guarded(NewTicketPage, 'tickets.write');
const IntegrationsRoute = guarded(IntegrationsPage, 'integrations.manage');
const SlaRoute = guarded(SlaSettingsPage, 'settings.manage');
const EmailSettingsRoute = guarded(EmailSettingsPage, 'settings.manage');
const MacrosRoute = guarded(MacrosPage, 'tickets.write');
const RulesRoute = guarded(RulesPage, 'rules.manage');
const ArticlesRoute = guarded(ArticlesPage, 'articles.manage');
const QueuesRoute = guarded(QueuesPage, 'settings.manage');
const PortalSettingsRoute = guarded(PortalSettingsPage, 'settings.manage');
const RoutingRoute = guarded(RoutingPage, 'settings.manage');
const SlackCallbackRoute = guarded(SlackOAuthCallback, 'integrations.manage');

export function AppRouter() {
  const signedIn = useSignedIn();
  const { path, url } = useLocation();
  const isPublic = PUBLIC_PATHS.includes(path);

  if (SELF_SERVICE.test(path)) {
    return (
      <Router>
        <Route path="/portal/:slug/help" component={SelfServicePage} />
        <Route default component={SelfServicePage} />
      </Router>
    );
  }
  if (path.startsWith('/portal/')) {
    // customers: their own session and layout (the boundary waits for the lazy code)
    return (
      <ErrorBoundary>
        <PortalRoute />
      </ErrorBoundary>
    );
  }
  // Only the public web form may be framed (the widget): a framed page that navigated to the agents'
  // app inside the frame must not show it (the server's frame-ancestors guards the first load only).
  if (window.top !== window.self) return <FramedRefusal />;

  if (!signedIn && !isPublic) return <Redirect to={`/sign-in?next=${encodeURIComponent(url)}`} />;
  if (signedIn && isPublic && !ALWAYS_PUBLIC.includes(path)) return <Redirect to="/" />;

  if (isPublic) {
    return (
      <Router>
        <Route path="/sign-in" component={SignInPage} />
        <Route path="/sign-up" component={SignUpPage} />
        <Route path="/sign-up/confirm" component={ConfirmSignUpPage} />
        <Route path="/forgot-password" component={ForgotPasswordPage} />
        <Route path="/reset-password" component={ResetPasswordPage} />
        <Route path="/accept-invitation" component={AcceptInvitationPage} />
      </Router>
    );
  }
  return (
    <AppShell>
      <Router>
        <Route path="/" component={DashboardPage} />
        <Route path="/tickets/new" component={NewTicketRoute} />
        <Route path="/tickets/:id" component={TicketPage} />
        <Route path="/performance" component={PerformanceRoute} />
        <Route path="/team" component={TeamRoute} />
        <Route path="/team/api-keys" component={ApiKeysRoute} />
        <Route path="/team/audit" component={AuditRoute} />
        <Route path="/settings" component={SettingsPage} />
        <Route path="/settings/notifications" component={NotificationsPage} />
        <Route path="/settings/rules" component={RulesRoute} />
        <Route path="/settings/queues" component={QueuesRoute} />
        <Route path="/account" component={AccountPage} />
        <Route path="/settings/integrations" component={IntegrationsRoute} />
        <Route path="/settings/sla" component={SlaRoute} />
        <Route path="/settings/email" component={EmailSettingsRoute} />
        <Route path="/macros" component={MacrosRoute} />
        <Route path="/articles" component={ArticlesRoute} />
        <Route path="/settings/portal" component={PortalSettingsRoute} />
        <Route path="/settings/routing" component={RoutingRoute} />
        <Route path="/settings/integrations/slack/callback" component={SlackCallbackRoute} />
        <Route default component={NotFoundPage} />
      </Router>
    </AppShell>
  );
}
