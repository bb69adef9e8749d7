import type { ComponentChildren } from 'preact';
import { isApiError } from '@/lib/api-client';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="status status--loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 403) return 'You do not have permission to see this.';
    if (error.status === 404) return 'This could not be found. It may have been deleted or moved.';
    return error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div class="status status--error" role="alert">
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="status status--empty">
      <p class="status__title">{title}</p>
      {children}
    </div>
  );
}
