import { RoutingSettingsPanel } from '@/features/routing/components/routing-settings';
import { useDocumentTitle } from '@/lib/document-title';

export function RoutingPage() {
  useDocumentTitle('Routing');
  return (
    <div class="page stack">
      <h1>Routing</h1>
      <RoutingSettingsPanel />
    </div>
  );
}
