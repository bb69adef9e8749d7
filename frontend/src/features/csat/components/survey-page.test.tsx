import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { SurveyPage } from './survey-page';

const SURVEY = { workspace: 'Acme', ticket_number: 7, subject: 'Printer', rating: null, comment: '', expires_at: 'x' };

describe('SurveyPage', () => {
  it('records the rating of a one-click link, then takes a comment', async () => {
    const { calls } = installFakeApi((r) =>
      r.method === 'POST' ? { body: { ...SURVEY, ...(r.body as object) } } : { body: SURVEY },
    );
    render(<SurveyPage token="tok" initialRating="good" />);

    expect(await screen.findByText(/your rating is recorded/)).toBeTruthy();
    expect((screen.getByRole('radio', { name: /Good/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: /Bad/ }));
    fireEvent.input(screen.getByLabelText(/Anything to add/), { target: { value: 'Slow' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    await waitFor(() => expect(calls.length).toBe(2));
    expect(calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['POST', '/csat/tok', { rating: 'good' }],
      ['POST', '/csat/tok', { rating: 'bad', comment: 'Slow' }],
    ]);
  });

  it('says clearly when a link was tampered with', async () => {
    installFakeApi(() => ({ status: 400, body: { title: 'Invalid link', status: 400, detail: 'not valid' } }));
    render(<SurveyPage token="bad" initialRating={null} />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/This link is not valid/);
  });
});
