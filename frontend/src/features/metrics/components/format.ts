import type { MetricsGoal } from '@/types/api';

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value * 100)} %`;
}

export function formatChange(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const percent = Math.round(value * 100);
  return `${percent > 0 ? '+' : percent < 0 ? '−' : '±'}${Math.abs(percent)} %`;
}

export function formatGoalValue(goal: Pick<MetricsGoal, 'unit'>, value: number | null | undefined): string {
  if (goal.unit === 'seconds') return formatDuration(value);
  if (goal.unit === 'share') return formatShare(value);
  return formatChange(value);
}

export function goalText(goal: MetricsGoal): string {
  if (goal.unit === 'seconds') return `Goal: under ${formatDuration(goal.goal)}`;
  if (goal.unit === 'share') return `Goal: ${formatShare(goal.goal)} or more`;
  return goal.goal < 0 ? `Goal: ${formatChange(goal.goal)} or less` : `Goal: ${formatChange(goal.goal)} or more`;
}

/** Up, down or flat: the last value of the trend against the first that has one. */
export function trendDirection(trend: (number | null)[]): 'up' | 'down' | 'flat' {
  const values = trend.filter((v): v is number => v !== null);
  if (values.length < 2) return 'flat';
  const [first, last] = [values[0], values[values.length - 1]];
  if (last > first * 1.02) return 'up';
  if (last < first * 0.98) return 'down';
  return 'flat';
}
