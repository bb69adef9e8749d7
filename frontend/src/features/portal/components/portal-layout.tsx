import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { signOut, usePortalSession, usePortalWorkspace } from '../api/portal-api';
import { connectToWidget } from '../api/widget-bridge';

/** "Acme" → "Acme Support"; a name that says it already ("Demo Support") is not said twice. */
export function portalTitle(name: string): { name: string; suffix: string | null } {
  const trimmed = name.trim();
  return /\bsupport$/i.test(trimmed) ? { name: trimmed, suffix: null } : { name: trimmed, suffix: 'Support' };
}

/** The portal's own frame: the workspace's name, the requester, and no trace of the team's app. */
export function PortalLayout({
  slug,
  embedded,
  children,
}: {
  slug: string;
  embedded?: boolean;
  children: ComponentChildren;
}) {
  const workspace = usePortalWorkspace(slug);
  const session = usePortalSession(slug);
  const { route } = useLocation();
  const title = portalTitle(workspace.data?.name ?? 'Support');
  useEffect(() => (embedded ? connectToWidget() : undefined), [embedded]);
  if (embedded) {
    return (
      <main id="main" class="portal portal--embedded">
        {children}
      </main>
    );
  }
  return (
    <div class="portal">
      <a href="#main" class="skip-link">
        Skip to content
      </a>
      <header class="portal__header">
        <a class="portal__brand" href={`/portal/${slug}`}>
          {title.name}
          {title.suffix && <span class="portal__brand-sub"> {title.suffix}</span>}
        </a>
        <nav aria-label="Portal" class="portal__nav">
          <a href={`/portal/${slug}/help`}>Help centre</a>
          {session ? (
            <>
              <a href={`/portal/${slug}`}>My requests</a>
              <a href={`/portal/${slug}/requests/new`}>New request</a>
              <button
                type="button"
                class="button button--quiet"
                onClick={() => void signOut(slug).then(() => route(`/portal/${slug}/sign-in`))}
              >
                Sign out
              </button>
            </>
          ) : (
            <>
              <a href={`/portal/${slug}/sign-in`}>Sign in</a>
              {workspace.data?.web_form_enabled && <a href={`/portal/${slug}/new`}>Write to us</a>}
            </>
          )}
        </nav>
      </header>
      <main id="main" class="portal__main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
