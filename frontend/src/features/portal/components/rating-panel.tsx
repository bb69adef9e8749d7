import { useState } from 'preact/hooks';
import { errorMessage } from '@/components/status';
import { formatDateTime } from '@/lib/format';
import { type Rating, useRate } from '../api/portal-api';

const WORDS = { good: 'Good, I’m satisfied', bad: 'Bad, I’m unsatisfied' } as const;

/**
 * "How did we do?" on a solved request: Good or Bad and an optional comment, the same rating as the
 * emailed survey link (the last answer counts). Once given it is shown, and may be changed.
 */
export function RatingPanel({
  slug,
  id,
  given,
  asked,
}: {
  slug: string;
  id: string;
  given: Rating | null;
  /** Solved and the team asks: the rating may be given or changed (else only shown). */
  asked: boolean;
}) {
  const rate = useRate(slug, id);
  const [editing, setEditing] = useState(given === null);
  const [choice, setChoice] = useState<Rating['rating'] | null>(given?.rating ?? null);
  const [comment, setComment] = useState(given?.comment ?? '');

  // the answer just given shows at once, before the request is read again
  const shown = rate.data?.rating ?? given;
  if ((!editing || !asked) && shown) {
    return (
      <section class="portal-card portal-rating" aria-labelledby="rating-title">
        <h2 id="rating-title">Your rating</h2>
        <p role="status">
          You rated this request <strong>{shown.rating === 'good' ? 'Good' : 'Bad'}</strong> on{' '}
          {formatDateTime(shown.at)}. Thank you.
        </p>
        {shown.comment && <blockquote class="portal-rating__comment">{shown.comment}</blockquote>}
        {asked && (
          <button type="button" class="button button--small" onClick={() => setEditing(true)}>
            Change my rating
          </button>
        )}
      </section>
    );
  }

  if (!asked) return null;

  function submit(event: Event) {
    event.preventDefault();
    if (!choice) return;
    rate.mutate({ rating: choice, comment: comment.trim() }, { onSuccess: () => setEditing(false) });
  }

  return (
    <section class="portal-card portal-rating" aria-labelledby="rating-title">
      <h2 id="rating-title">How did we do?</h2>
      <form class="form" onSubmit={submit}>
        <fieldset class="survey__choices">
          <legend>Your rating of how this request was handled</legend>
          {(['good', 'bad'] as const).map((value) => (
            <label key={value} class={`survey__choice${choice === value ? ' survey__choice--on' : ''}`}>
              <input
                type="radio"
                name="portal-rating"
                value={value}
                checked={choice === value}
                onChange={() => setChoice(value)}
              />
              {WORDS[value]}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="portal-rating-comment">Anything to add? (optional)</label>
          <textarea
            id="portal-rating-comment"
            rows={3}
            maxLength={2000}
            value={comment}
            onInput={(event) => setComment(event.currentTarget.value)}
          />
        </div>
        {rate.isError && (
          <p class="form__error" role="alert">
            {errorMessage(rate.error)}
          </p>
        )}
        <div class="portal__actions">
          <button type="submit" class="button button--primary" disabled={!choice || rate.isPending}>
            {rate.isPending ? 'Sending…' : 'Send rating'}
          </button>
          {shown && (
            <button type="button" class="button" onClick={() => setEditing(false)}>
              Keep my rating
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
