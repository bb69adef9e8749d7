import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { ErrorMessage } from '@/components/status';
import { queryKeys } from '@/lib/query-keys';
import {
  addSampleTickets,
  type Checklist,
  type ChecklistStep,
  markStep,
  onboardingKey,
  removeSampleTickets,
  setDismissed,
  useChecklist,
} from '../api/onboarding';

const SAMPLE_COUNT = 5;

function markLabel(step: ChecklistStep): string {
  return step.id === 'tickets_arrive' ? 'Mark as set up' : 'Mark as reviewed';
}

function StepRow({ step, onMark, busy }: { step: ChecklistStep; onMark: (done: boolean) => void; busy: boolean }) {
  const headingId = `onboarding-step-${step.id}`;
  return (
    <li class={`checklist__step${step.done ? ' checklist__step--done' : ''}`} aria-labelledby={headingId}>
      <span class="checklist__mark" aria-hidden="true">
        {step.done ? '✓' : ''}
      </span>
      <div class="checklist__body">
        <h3 id={headingId} class="checklist__title">
          {step.title} <span class="visually-hidden">{step.done ? '(done)' : '(to do)'}</span>
        </h3>
        <p class="muted">{step.done_because ?? step.why}</p>
        <div class="checklist__actions">
          <a class="button button--small" href={step.link}>
            {step.link_label}
          </a>
          {step.markable && !step.done && (
            <button type="button" class="button button--small" disabled={busy} onClick={() => onMark(true)}>
              {markLabel(step)}
            </button>
          )}
          {step.markable && step.done && step.done_because?.startsWith('Marked') && (
            <button
              type="button"
              class="button button--small button--quiet"
              disabled={busy}
              onClick={() => onMark(false)}
            >
              Undo <span class="visually-hidden">“{step.title}”</span>
            </button>
          )}
        </div>
      </div>
    </li>
  );
}

/** The first-run checklist on the home page, for whoever sets the workspace up (admins). */
export function GettingStarted() {
  const queryClient = useQueryClient();
  const checklist = useChecklist(true);
  const settle = (next: Checklist) => queryClient.setQueryData(onboardingKey, next);
  const mark = useMutation({
    mutationFn: ({ id, done }: { id: string; done: boolean }) => markStep(id, done),
    onSuccess: settle,
  });
  const dismiss = useMutation({ mutationFn: setDismissed, onSuccess: settle });
  const samples = useMutation({
    mutationFn: (add: boolean) => (add ? addSampleTickets(SAMPLE_COUNT) : removeSampleTickets()),
    onSuccess: (next) => {
      settle(next);
      void queryClient.invalidateQueries({ queryKey: queryKeys.ticketLists });
    },
  });
  const data = checklist.data;
  if (!data || data.dismissed) return null;
  const busy = mark.isPending || dismiss.isPending || samples.isPending;
  const failed = mark.error ?? dismiss.error ?? samples.error;
  return (
    <section class="panel checklist" aria-labelledby="getting-started-heading">
      <div class="checklist__header">
        <h2 id="getting-started-heading" class="panel__title">
          Set up your workspace
        </h2>
        <p class="checklist__progress">
          <progress max={data.total} value={data.done} aria-labelledby="getting-started-progress" />
          <span id="getting-started-progress">
            {data.done} of {data.total} done
          </span>
        </p>
      </div>
      {failed && <ErrorMessage error={failed} />}
      <ol class="checklist__steps">
        {data.steps.map((step) => (
          <StepRow key={step.id} step={step} busy={busy} onMark={(done) => mark.mutate({ id: step.id, done })} />
        ))}
      </ol>
      <div class="checklist__footer">
        {data.sample_ticket_count > 0 ? (
          <button type="button" class="button" disabled={busy} onClick={() => samples.mutate(false)}>
            {samples.isPending ? 'Removing…' : `Remove sample data (${data.sample_ticket_count} tickets)`}
          </button>
        ) : (
          <button type="button" class="button" disabled={busy} onClick={() => samples.mutate(true)}>
            {samples.isPending ? 'Adding…' : 'Add sample tickets'}
          </button>
        )}
        <p class="muted checklist__note">
          {data.sample_ticket_count > 0
            ? 'Sample tickets are tagged “sample”; removing them closes them (they stay in the audit log).'
            : 'Try the desk with a few made-up tickets, tagged “sample”. Nobody is emailed.'}
        </p>
        <button type="button" class="button button--quiet" disabled={busy} onClick={() => dismiss.mutate(true)}>
          {data.done === data.total ? 'Done — hide this' : 'Dismiss checklist'}
        </button>
      </div>
    </section>
  );
}
