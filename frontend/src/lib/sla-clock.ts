import { useEffect, useState } from 'preact/hooks';
import type { Ticket } from '@/types/api';

export type SlaTone = 'ok' | 'at_risk' | 'breached' | 'paused';

export interface SlaReading {
  tone: SlaTone;
  /** What the badge shows: "due in 45 min", "2 h left", "overdue by 10 min". */
  text: string;
  /** The same for a screen reader, with the state in words. */
  label: string;
}

const TONE_WORDS: Record<SlaTone, string> = {
  ok: 'on track',
  at_risk: 'at risk',
  breached: 'breached',
  paused: 'paused',
};

/** "45 min", "2 h", "3 d": the span rounded to the unit a person reads at a glance. */
export function shortSpan(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

/**
 * The ticket's nearest SLA deadline read against `now`. The server's state is taken as the floor
 * (it knows the policy and business hours); the clock only moves it forward between refreshes:
 * at risk in the last quarter of the time from opening, breached once the deadline passed.
 */
export function readSla(ticket: Pick<Ticket, 'sla_due_at' | 'created_at' | 'sla'>, now: number): SlaReading | null {
  if (ticket.sla.paused) {
    return { tone: 'paused', text: 'SLA paused', label: 'SLA paused while waiting on the customer' };
  }
  if (!ticket.sla_due_at) return null;
  const due = Date.parse(ticket.sla_due_at);
  if (Number.isNaN(due)) return null;
  const left = due - now;
  let tone: SlaTone;
  if (left <= 0 || ticket.sla.state === 'breached') tone = 'breached';
  else if (ticket.sla.state === 'at_risk' || left <= (due - Date.parse(ticket.created_at)) / 4) tone = 'at_risk';
  else tone = 'ok';
  // Under an hour, whole minutes counted down (59, not "1 h"): that is when the minutes matter.
  const wholeMinutes = (ms: number) => `${Math.max(1, Math.floor(ms / 60_000))} min`;
  let text: string;
  if (left <= 0) text = `overdue by ${-left < 60 * 60_000 ? wholeMinutes(-left) : shortSpan(-left)}`;
  else if (left < 60 * 60_000) text = `due in ${wholeMinutes(left)}`;
  else text = `${shortSpan(left)} left`;
  return { tone, text, label: `SLA ${TONE_WORDS[tone]}: ${text}` };
}

let listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | undefined;

/** The time now, updated once a minute for every subscriber by one shared timer. */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    listeners.add(setNow);
    if (!timer) timer = setInterval(() => listeners.forEach((listener) => listener(Date.now())), 60_000);
    return () => {
      listeners.delete(setNow);
      if (listeners.size === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }, []);
  return now;
}

/** For tests: forget the shared timer. */
export function resetMinuteClock(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
  listeners = new Set();
}
