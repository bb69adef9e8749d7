import { useDocumentTitle } from '@/lib/document-title';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <div class="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href="/">Back to tickets</a>
      </p>
    </div>
  );
}

export function ForbiddenPage() {
  useDocumentTitle('Not allowed');
  return (
    <div class="page">
      <h1>Not available to your role</h1>
      <p>
        Ask a workspace admin if you need access. <a href="/">Back to tickets</a>
      </p>
    </div>
  );
}
