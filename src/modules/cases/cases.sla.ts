import {
  chinaCalendar2026,
  deadline,
  addWorkingMinutes,
  resumeDeadline,
  workingMinutesBetween,
  type WorkingCalendar,
} from '../../platform/calendar/working-time.js';
import type { Executor } from '../../platform/db/db.js';
import type { TimeLimit } from '../catalog/index.js';
import * as repo from './cases.repository.js';

/**
 * The SLA clock: promised and legal deadlines from the item version's limits on the editable holiday
 * calendar, the warning point (80% of the promised time), and how a pause for correction moves them.
 */

export const warnFraction = 0.8;

let cached: { at: number; calendar: WorkingCalendar } | null = null;
const cacheMs = 30_000;

/** The working calendar from cases_calendar_days (cached briefly; an edit through this process clears it). */
export async function loadCalendar(ex: Executor): Promise<WorkingCalendar> {
  if (cached && Date.now() - cached.at < cacheMs) return cached.calendar;
  const days = await repo.listCalendarDays(ex);
  const calendar: WorkingCalendar = {
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.date)),
    workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.date)),
  };
  cached = { at: Date.now(), calendar };
  return calendar;
}

export function forgetCalendar(): void {
  cached = null;
}

/** The seed rows: China's 2026 holidays and make-up working days. */
export function calendarSeed(): { date: string; kind: 'holiday' | 'workday'; name: string }[] {
  return [
    ...chinaCalendar2026.holidays.map(([date, name]) => ({ date, kind: 'holiday' as const, name })),
    ...chinaCalendar2026.workdays.map(([date, name]) => ({ date, kind: 'workday' as const, name })),
  ];
}

export interface Clock {
  promisedBy: Date;
  legalBy: Date;
  warnAt: Date;
}

/** The deadlines of an application submitted at `start`. */
export function startClock(calendar: WorkingCalendar, start: Date, limits: { promised: TimeLimit; legal: TimeLimit }): Clock {
  const promisedBy = deadline(calendar, start, limits.promised.value, limits.promised.unit);
  const legalBy = deadline(calendar, start, limits.legal.value, limits.legal.unit);
  return { promisedBy, legalBy, warnAt: warnPoint(calendar, start, promisedBy) };
}

/** The instant at which 80% of the working time between start and the deadline has passed. */
export function warnPoint(calendar: WorkingCalendar, start: Date, due: Date): Date {
  const total = workingMinutesBetween(calendar, start, due);
  if (total <= 0) {
    // A calendar-time limit that ends outside office hours: 80% of the elapsed time instead.
    return new Date(start.getTime() + (due.getTime() - start.getTime()) * warnFraction);
  }
  return addWorkingMinutes(calendar, start, Math.floor(total * warnFraction));
}

/** The deadlines after a pause from `pausedAt` to `resumedAt`: the working time left is kept. */
export function resumeClock(calendar: WorkingCalendar, clock: Clock, pausedAt: Date, resumedAt: Date): Clock {
  return {
    promisedBy: resumeDeadline(calendar, clock.promisedBy, pausedAt, resumedAt),
    legalBy: resumeDeadline(calendar, clock.legalBy, pausedAt, resumedAt),
    warnAt: clock.warnAt <= pausedAt ? resumedAt : resumeDeadline(calendar, clock.warnAt, pausedAt, resumedAt),
  };
}

/** Due date of a follow-up task: 15 working days. */
export function followUpDue(calendar: WorkingCalendar, start: Date): Date {
  return deadline(calendar, start, 15, 'working_days');
}
