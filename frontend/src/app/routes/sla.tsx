import { BusinessHoursSettings } from '@/features/sla/components/business-hours-form';
import { SlaPolicies } from '@/features/sla/components/sla-policies';
import { useDocumentTitle } from '@/lib/document-title';

export function SlaSettingsPage() {
  useDocumentTitle('SLA policies');
  return (
    <div class="page stack sla-page">
      <h1>SLA policies and business hours</h1>
      <p class="muted">
        Set how fast tickets must be answered and resolved. The clock stops while a ticket is pending or on hold.
      </p>
      <section class="stack" aria-labelledby="sla-policies-heading">
        <h2 id="sla-policies-heading">Policies</h2>
        <SlaPolicies />
      </section>
      <section class="panel stack" aria-labelledby="business-hours-heading">
        <h2 id="business-hours-heading">Business hours</h2>
        <p class="muted">Policies that count business hours use these; the others count calendar time.</p>
        <BusinessHoursSettings />
      </section>
    </div>
  );
}
