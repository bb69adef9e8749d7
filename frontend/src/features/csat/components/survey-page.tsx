import { useEffect, useState } from 'preact/hooks';
import { Loading } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import { useDocumentTitle } from '@/lib/document-title';
import { answerSurvey, fetchSurvey, type RatingValue, type Survey } from '../api/survey';

function problemText(error: unknown): string {
  if (isApiError(error, 410)) return error.message;
  if (isApiError(error, 400)) return 'This link is not valid. Open the link from your email exactly as it was sent.';
  if (isApiError(error, 429)) return 'Too many requests from your address. Wait a minute, then try again.';
  return 'Your answer could not be recorded. Try again in a moment.';
}

/** The page a survey link opens. `?rating=good|bad` records that answer when the page opens (a link
 * itself records nothing: mail scanners open links); then the requester may add a comment or change it. */
export function SurveyPage({ token, initialRating }: { token: string; initialRating: RatingValue | null }) {
  useDocumentTitle('How did we do?');
  const [survey, setSurvey] = useState<Survey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [rating, setRating] = useState<RatingValue | null>(initialRating);
  const [comment, setComment] = useState('');
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    const load = initialRating ? answerSurvey(token, initialRating) : fetchSurvey(token, controller.signal);
    load
      .then((answer) => {
        setSurvey(answer);
        setRating(answer.rating ?? initialRating);
        setComment(answer.comment);
        if (initialRating) setSaved('Thank you, your rating is recorded.');
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught);
      });
    return () => controller.abort();
  }, [token, initialRating]);

  const submit = (event: Event) => {
    event.preventDefault();
    if (!rating) return;
    setBusy(true);
    setSaved('');
    answerSurvey(token, rating, comment.trim())
      .then((answer) => {
        setSurvey(answer);
        setSaved('Thank you, your answer is saved. You can change it while this link is valid.');
        setError(null);
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };

  return (
    <div class="help">
      <main id="main" class="help__main survey" tabIndex={-1}>
        <h1>How did we do?</h1>
        {!survey && !error && <Loading />}
        {error !== null && (
          <p role="alert" class="form__error">
            {problemText(error)}
          </p>
        )}
        {survey && (
          <form class="form" onSubmit={submit}>
            <p>
              {survey.workspace} · request #{survey.ticket_number}: <strong>{survey.subject}</strong>
            </p>
            <fieldset class="survey__choices">
              <legend>Your rating</legend>
              {(['good', 'bad'] as const).map((value) => (
                <label key={value} class={`survey__choice${rating === value ? ' survey__choice--on' : ''}`}>
                  <input
                    type="radio"
                    name="rating"
                    value={value}
                    checked={rating === value}
                    onChange={() => setRating(value)}
                  />
                  {value === 'good' ? 'Good, I’m satisfied' : 'Bad, I’m unsatisfied'}
                </label>
              ))}
            </fieldset>
            <div class="field">
              <label for="survey-comment">Anything to add? (optional)</label>
              <textarea
                id="survey-comment"
                rows={4}
                maxLength={2000}
                value={comment}
                onInput={(event) => setComment(event.currentTarget.value)}
              />
            </div>
            <button type="submit" class="button button--primary" disabled={!rating || busy}>
              Send
            </button>
            <p role="status" aria-live="polite" class="form__success">
              {saved}
            </p>
          </form>
        )}
      </main>
    </div>
  );
}
