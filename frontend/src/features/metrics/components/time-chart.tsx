import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';

export interface Series {
  label: string;
  values: (number | null)[];
  format: (value: number | null) => string;
}

type UPlotClass = typeof uPlot;

/** uPlot is loaded with the first chart, never with the app's first page. */
let loading: Promise<UPlotClass> | null = null;
function loadUPlot(): Promise<UPlotClass> {
  if (!loading) loading = Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);
  return loading;
}

const COLOURS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea'];
// uPlot's axis font is 12 px: a digit or letter is at most ~7.5 px wide, and the ticks and gap take 18
const LABEL_CHAR_PX = 7.5;
const AXIS_PAD_PX = 18;
const MIN_AXIS_PX = 40;

/**
 * The y axis labelled as the table labels the same numbers (durations as "2 h", not "7,200"), and wide
 * enough for its longest label: a fixed width clipped long labels ("100,000") on wide screens, where
 * uPlot places more, longer ticks.
 */
export function yAxisLabels(splits: number[], format: (value: number | null) => string): string[] {
  return splits.map((v) => (v == null ? '' : format(v)));
}

export function yAxisWidth(labels: (string | null)[] | null | undefined): number {
  const longest = Math.max(0, ...(labels ?? []).map((label) => (label ?? '').length));
  return Math.max(MIN_AXIS_PX, Math.ceil(longest * LABEL_CHAR_PX + AXIS_PAD_PX));
}

/**
 * A chart over days with its numbers as a table beside it: the chart is for the eye (hidden from
 * assistive technology), the table carries the same numbers for screen readers and keyboards.
 */
export function TimeChart({ title, days, series }: { title: string; days: string[]; series: Series[] }) {
  const holder = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    loadUPlot()
      .then((UPlot) => {
        if (cancelled || !holder.current) return;
        const width = Math.max(holder.current.clientWidth || 320, 240);
        const xs = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
        chart = new UPlot(
          {
            width,
            height: 180,
            legend: { show: true },
            series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2 }))],
            axes: [
              {},
              {
                values: (_u: uPlot, splits: number[]) => yAxisLabels(splits, series[0]?.format ?? String),
                size: (_u: uPlot, values: string[] | null) => yAxisWidth(values),
              },
            ],
          },
          [xs, ...series.map((s) => s.values)] as unknown as [number[], ...(number | null)[][]],
          holder.current,
        );
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [days.join(), series.map((s) => s.values.join()).join('|')]);

  return (
    <figure class="time-chart">
      <figcaption class="time-chart__title">{title}</figcaption>
      {!failed && <div class="time-chart__plot" ref={holder} aria-hidden="true" />}
      <details class="time-chart__table" open={failed}>
        <summary>Show as a table</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={`${title}, by day`}>
          <table class="data-table">
            <caption class="visually-hidden">{title}, by day</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {series.map((s) => (
                  <th scope="col" class="num" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((day, i) => (
                <tr key={day}>
                  <th scope="row">{day}</th>
                  {series.map((s) => (
                    <td class="num" key={s.label}>
                      {s.format(s.values[i] ?? null)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
