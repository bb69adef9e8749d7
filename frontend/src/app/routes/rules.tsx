import { RulesManager } from '@/features/rules/components/rules-page';
import { useDocumentTitle } from '@/lib/document-title';

export function RulesPage() {
  useDocumentTitle('Rules');
  return (
    <div class="page stack rules-page">
      <h1>Rules</h1>
      <p class="muted">
        Rules change tickets for you. Event rules run, in this order, when a ticket is created, updated, commented on or
        rated; time rules run every 5 minutes and act on a ticket once per period. A rule never answers its own change,
        and a chain of rules stops after five changes in a row.
      </p>
      <RulesManager />
    </div>
  );
}
