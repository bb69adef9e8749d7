import { AcceptInvitation } from '@/features/people/components/accept-invitation';
import { useLocation } from 'preact-iso';
import { SignInForm } from '@/features/auth/components/sign-in-form';
import { ConfirmSignUp } from '@/features/auth/components/confirm-sign-up';
import { ForgotPasswordForm } from '@/features/auth/components/forgot-password-form';
import { ResetPassword } from '@/features/auth/components/reset-password';
import { SignUpForm } from '@/features/auth/components/sign-up-form';
import { useDocumentTitle } from '@/lib/document-title';

/** Only same-site paths are followed after sign-in ("//evil.example" is not one). */
export function safeNextPath(next: string | undefined): string {
  return next &&
    next.startsWith('/') &&
    !next.startsWith('//') &&
    !/^\/(sign-|forgot-password|reset-password)/.test(next)
    ? next
    : '/';
}

function AuthLayout({ title, children }: { title: string; children: preact.ComponentChildren }) {
  return (
    <div class="auth-page">
      <main id="main" class="auth-card">
        <p class="brand brand--large">
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <span>Pulsedesk</span>
        </p>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}

export function SignInPage() {
  const { query, route } = useLocation();
  useDocumentTitle('Sign in');
  return (
    <AuthLayout title="Sign in to your workspace">
      <SignInForm onSignedIn={() => route(safeNextPath(query.next), true)} />
      <p class="auth-card__switch">
        <a href="/forgot-password">Forgot your password?</a>
      </p>
      <p class="auth-card__switch">
        New to Pulsedesk? <a href="/sign-up">Create a workspace</a>
      </p>
    </AuthLayout>
  );
}

export function SignUpPage() {
  useDocumentTitle('Create a workspace');
  return (
    <AuthLayout title="Create your support workspace">
      <SignUpForm />
      <p class="auth-card__switch">
        Already have one? <a href="/sign-in">Sign in</a>
      </p>
    </AuthLayout>
  );
}

export function ConfirmSignUpPage() {
  const { route } = useLocation();
  useDocumentTitle('Confirm your email');
  return (
    <AuthLayout title="Confirm your email">
      <ConfirmSignUp hash={window.location.hash} onConfirmed={() => route('/', true)} />
    </AuthLayout>
  );
}

export function ForgotPasswordPage() {
  useDocumentTitle('Forgot your password');
  return (
    <AuthLayout title="Forgot your password?">
      <ForgotPasswordForm />
      <p class="auth-card__switch">
        Remembered it? <a href="/sign-in">Sign in</a>
      </p>
    </AuthLayout>
  );
}

export function AcceptInvitationPage() {
  useDocumentTitle('Join your team');
  return (
    <AuthLayout title="Join your team on Pulsedesk">
      <AcceptInvitation hash={window.location.hash} />
    </AuthLayout>
  );
}

export function ResetPasswordPage() {
  useDocumentTitle('Choose a new password');
  return (
    <AuthLayout title="Choose a new password">
      <ResetPassword hash={window.location.hash} />
    </AuthLayout>
  );
}
