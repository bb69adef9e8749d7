import type { MetricsGoal } from '@/types/api';
import { formatGoalValue, goalText, trendDirection } from './format';

const ARROWS = { up: '↑', down: '↓', flat: '→' } as const;
const TREND_WORDS = { up: 'rising', down: 'falling', flat: 'steady' } as const;

/** A small line of the daily values: decoration, its numbers are in the period's tables. */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const points = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null);
  if (points.length < 2) return <span class="sparkline sparkline--empty" aria-hidden="true" />;
  const max = Math.max(...points.map((p) => p[1])) || 1;
  const width = 100;
  const height = 24;
  const step = width / Math.max(values.length - 1, 1);
  const path = points.map(
    ([i, v], n) => `${n ? 'L' : 'M'}${(i * step).toFixed(1)},${(height - (v / max) * height).toFixed(1)}`,
  );
  return (
    <svg
      class="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      aria-hidden="true"
      data-label={label}
    >
      <path
        d={path.join(' ')}
        fill="none"
        stroke="currentColor"
        stroke-width="1.5"
        vector-effect="non-scaling-stroke"
      />
    </svg>
  );
}

function GoalCard({ goal, compact }: { goal: MetricsGoal; compact: boolean }) {
  const direction = trendDirection(goal.trend);
  const state = goal.met === null ? 'unknown' : goal.met ? 'met' : 'missed';
  return (
    <li class={`goal-card goal-card--${state}`}>
      <p class="goal-card__label">{goal.label}</p>
      <p class="goal-card__value">
        {formatGoalValue(goal, goal.value)}
        <span class="goal-card__arrow" aria-hidden="true">
          {' '}
          {ARROWS[direction]}
        </span>
        <span class="visually-hidden">, trend {TREND_WORDS[direction]}</span>
      </p>
      <p class="goal-card__goal">
        {goalText(goal)}
        <span class="goal-card__state">{state === 'met' ? ' · met' : state === 'missed' ? ' · not met' : ''}</span>
      </p>
      {!compact && <Sparkline values={goal.trend} label={goal.label} />}
    </li>
  );
}

export function GoalCards({ goals, compact = false }: { goals: MetricsGoal[]; compact?: boolean }) {
  return (
    <ul class={compact ? 'goal-cards goal-cards--compact' : 'goal-cards'} aria-label="Goals">
      {goals.map((goal) => (
        <GoalCard key={goal.key} goal={goal} compact={compact} />
      ))}
    </ul>
  );
}
