import { useLocation } from 'preact-iso';
import { SurveyPage } from '@/features/csat/components/survey-page';
import { HelpArticle, HelpHome } from '@/features/help-center/components/help-centre';
import { NotFoundPage } from './not-found';

/** Pages for customers, open without signing in: the help centre and the satisfaction survey. */
export function SelfServicePage() {
  const { path, query } = useLocation();
  const help = /^\/portal\/([^/]+)\/help(?:\/([^/]+))?\/?$/.exec(path);
  if (help) {
    const workspace = decodeURIComponent(help[1]!);
    return help[2] ? (
      <HelpArticle workspace={workspace} article={decodeURIComponent(help[2])} />
    ) : (
      <HelpHome workspace={workspace} />
    );
  }
  const survey = /^\/csat\/([^/]+)$/.exec(path);
  if (survey) {
    const rating = query.rating === 'good' || query.rating === 'bad' ? query.rating : null;
    return <SurveyPage token={decodeURIComponent(survey[1]!)} initialRating={rating} />;
  }
  return <NotFoundPage />;
}
