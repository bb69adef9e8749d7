import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeRequest, installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { type BusinessHours, hoursFormValues, hoursInput } from '../api/sla';
import { BusinessHoursSettings } from './business-hours-form';

const NINE_TO_FIVE = [{ start: '09:00', end: '17:00' }];
const HOURS: BusinessHours = {
  time_zone: 'UTC',
  weekly_hours: {
    monday: NINE_TO_FIVE,
    tuesday: NINE_TO_FIVE,
    wednesday: NINE_TO_FIVE,
    thursday: NINE_TO_FIVE,
    friday: NINE_TO_FIVE,
    saturday: [],
    sunday: [],
  },
  holiday_country: null,
  holiday_subdivision: null,
  holidays: [],
};

function hoursServer(extra?: (r: FakeRequest) => unknown) {
  let hours = HOURS;
  return installFakeApi((r) => {
    const answer = extra?.(r);
    if (answer) return answer as { status?: number; body?: unknown };
    if (r.path !== '/settings/business-hours') return undefined;
    if (r.method === 'PUT') {
      const body = r.body as BusinessHours & { holidays: { start: string; end: string | null; name: string }[] };
      hours = { ...body, holidays: body.holidays.map((h) => ({ ...h, end: h.end ?? h.start })) };
    }
    return { body: hours };
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('business hours helpers', () => {
  it('turns the form into the PUT body: codes upper-cased, a one-day closing without end', () => {
    const values = hoursFormValues({
      ...HOURS,
      holidays: [{ start: '2026-12-24', end: '2026-12-24', name: 'Christmas Eve' }],
    });
    expect(values.holidays[0]).toEqual({ start: '2026-12-24', end: '', name: 'Christmas Eve' });
    values.country = 'de';
    values.subdivision = ' by ';
    expect(hoursInput(values)).toMatchObject({
      time_zone: 'UTC',
      holiday_country: 'DE',
      holiday_subdivision: 'BY',
      holidays: [{ start: '2026-12-24', end: null, name: 'Christmas Eve' }],
    });
    expect(hoursInput(values).weekly_hours.saturday).toEqual([]);
  });
});

// Many inputs are slow to query in jsdom on a busy machine: a generous bound, not a measure.
describe('BusinessHoursSettings', { timeout: 20_000 }, () => {
  it('adds Saturday hours, a country and a closing, and saves them', async () => {
    const server = hoursServer();
    renderWithProviders(<BusinessHoursSettings />);

    fireEvent.input(await screen.findByLabelText('Time zone'), { target: { value: 'Europe/Berlin' } });
    const saturday = within(screen.getByRole('group', { name: 'Saturday' }));
    expect(saturday.getByText('Closed')).toBeInTheDocument();
    fireEvent.click(saturday.getByRole('button', { name: 'Add hours on Saturday' }));
    fireEvent.input(saturday.getByLabelText('Saturday closes'), { target: { value: '13:00' } });
    fireEvent.input(screen.getByLabelText('Public holidays of'), { target: { value: 'DE' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a closing day' }));
    fireEvent.input(within(screen.getByRole('group', { name: 'Closing 1' })).getByLabelText('From'), {
      target: { value: '2026-12-24' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save business hours' }));

    expect(await screen.findByText(/Business hours saved/)).toHaveAttribute('role', 'status');
    const body = server.calls.find((c) => c.method === 'PUT')?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      time_zone: 'Europe/Berlin',
      holiday_country: 'DE',
      holiday_subdivision: null,
      holidays: [{ start: '2026-12-24', end: null, name: '' }],
    });
    expect((body.weekly_hours as Record<string, unknown>).saturday).toEqual([{ start: '09:00', end: '13:00' }]);
  });

  it('shows each field error from the server next to its field', async () => {
    hoursServer((r) =>
      r.method === 'PUT'
        ? {
            status: 422,
            body: {
              title: 'Validation failed',
              status: 422,
              detail: 'The request has invalid fields.',
              errors: [
                { field: 'time_zone', message: 'Unknown time zone: use an IANA name such as Europe/Berlin.' },
                { field: 'weekly_hours.monday.1', message: 'Spans overlap or are out of order.' },
              ],
            },
          }
        : undefined,
    );
    renderWithProviders(<BusinessHoursSettings />);
    const monday = within(await screen.findByRole('group', { name: 'Monday' }));
    fireEvent.click(monday.getByRole('button', { name: 'Add hours on Monday' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save business hours' }));

    await waitFor(() => expect(screen.getByLabelText('Time zone')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('Time zone')).toHaveAccessibleDescription(
      /Unknown time zone: use an IANA name such as Europe\/Berlin\./,
    );
    const opens = monday.getAllByLabelText('Monday opens');
    expect(opens[1]).toHaveAccessibleDescription('Spans overlap or are out of order.');
    expect(opens[0]).toHaveAttribute('aria-invalid', 'false');
    expect(screen.getByRole('alert')).toHaveTextContent('Check the fields marked above.');
  });
});
