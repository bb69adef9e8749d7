import { useEffect } from 'preact/hooks';
import { Route, Router, useLocation, useRoute } from 'preact-iso';
import { usePortalSession } from '../api/portal-api';
import { MyRequests } from './my-requests';
import { NewRequest } from './new-request';
import { PortalLayout } from './portal-layout';
import { RequestView } from './request-view';
import { PortalSignIn } from './sign-in';
import { ConfirmWebRequest, WebForm } from './web-form';
import '../portal.css';

function Redirect({ to }: { to: string }) {
  const { route } = useLocation();
  useEffect(() => route(to, true), [to]);
  return null;
}

/** Pages that need the requester signed in send them to sign in first. */
function SignedIn({ slug, page }: { slug: string; page: (slug: string) => preact.JSX.Element }) {
  const session = usePortalSession(slug);
  return session ? page(slug) : <Redirect to={`/portal/${slug}/sign-in`} />;
}

function Home() {
  const { params } = useRoute();
  return <SignedIn slug={params.slug} page={(slug) => <MyRequests slug={slug} />} />;
}
function NewRequestPage() {
  const { params } = useRoute();
  return <SignedIn slug={params.slug} page={(slug) => <NewRequest slug={slug} />} />;
}
function RequestPage() {
  const { params } = useRoute();
  return <SignedIn slug={params.slug} page={(slug) => <RequestView slug={slug} id={params.id} />} />;
}
function SignInPage() {
  return <PortalSignIn slug={useRoute().params.slug} />;
}
function WebFormPage() {
  return <WebForm slug={useRoute().params.slug} />;
}
function ConfirmPage() {
  return <ConfirmWebRequest slug={useRoute().params.slug} />;
}
function NotFound() {
  return (
    <section class="portal-card">
      <h1>Page not found</h1>
    </section>
  );
}

/** The customer portal: its own layout and session, loaded only when a /portal/ address is opened. */
export function PortalApp() {
  const { path, query } = useLocation();
  const slug = path.split('/')[2] ?? '';
  // the widget's iframe: the form alone, without the portal's header
  const embedded = query.embed === '1';
  // only the web form is framable (the widget); any other portal page opens in its own window
  if (window.top !== window.self && !/^\/portal\/[^/]+\/new\/?$/.test(path)) {
    return (
      <main id="main" class="portal portal--embedded">
        <p>
          <a href={path} target="_blank" rel="noopener">
            Open this page in a new window
          </a>
        </p>
      </main>
    );
  }
  return (
    <PortalLayout slug={slug} embedded={embedded}>
      <Router>
        <Route path="/portal/:slug" component={Home} />
        <Route path="/portal/:slug/sign-in" component={SignInPage} />
        <Route path="/portal/:slug/new" component={WebFormPage} />
        <Route path="/portal/:slug/confirm" component={ConfirmPage} />
        <Route path="/portal/:slug/requests/new" component={NewRequestPage} />
        <Route path="/portal/:slug/requests/:id" component={RequestPage} />
        <Route default component={NotFound} />
      </Router>
    </PortalLayout>
  );
}
