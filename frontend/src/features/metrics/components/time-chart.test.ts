import { describe, expect, it } from 'vitest';

import { formatDuration } from './format';
import { yAxisLabels, yAxisWidth } from './time-chart';

describe('the time chart y axis', () => {
  it('labels durations as the table does, not as raw seconds', () => {
    expect(yAxisLabels([0, 43_200, 86_400, 129_600], formatDuration)).toEqual(['0 s', '12.0 h', '1.0 d', '1.5 d']);
  });

  it('is as wide as its longest label, so none is clipped', () => {
    const long = yAxisWidth(['0', '50000', '100000', '150000']);
    const short = yAxisWidth(['0', '5', '10']);
    expect(long).toBeGreaterThanOrEqual(6 * 7.5 + 18);
    expect(short).toBeLessThan(long);
    expect(yAxisWidth(null)).toBe(40);
  });
});
