/**
 * Working-time arithmetic for legal and promised time limits, in China Standard Time (UTC+8, no DST).
 * A calendar says which dates are public holidays and which weekend dates are make-up working days
 * (调休); it is data a platform admin edits.
 */

export interface WorkingCalendar {
  /** ISO dates (YYYY-MM-DD) that are holidays even if they fall on a weekday. */
  holidays: ReadonlySet<string>;
  /** ISO dates that are working days even if they fall on a weekend. */
  workdays: ReadonlySet<string>;
  /** Office hours as [startMinute, endMinute) of the local day; default 9:00–12:00 and 13:00–17:00. */
  hours?: ReadonlyArray<readonly [number, number]>;
}

export type LimitUnit = 'working_days' | 'working_hours' | 'days' | 'hours';

const offsetMs = 8 * 3600_000;
const dayMs = 86_400_000;
const defaultHours: ReadonlyArray<readonly [number, number]> = [
  [9 * 60, 12 * 60],
  [13 * 60, 17 * 60],
];

/** The local (UTC+8) calendar date of an instant, as YYYY-MM-DD. */
export function localDate(at: Date): string {
  return new Date(at.getTime() + offsetMs).toISOString().slice(0, 10);
}

/** The instant of a local date at a minute of that day. */
function instant(date: string, minute: number): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - offsetMs + minute * 60_000);
}

function nextDate(date: string, days = 1): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

export function isWorkingDay(calendar: WorkingCalendar, date: string): boolean {
  if (calendar.workdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

function minuteOfDay(at: Date): number {
  const local = new Date(at.getTime() + offsetMs);
  return local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60 + local.getUTCMilliseconds() / 60_000;
}

/** Working minutes between two instants (0 if end is before start). */
export function workingMinutesBetween(calendar: WorkingCalendar, start: Date, end: Date): number {
  if (end <= start) return 0;
  const hours = calendar.hours ?? defaultHours;
  let total = 0;
  for (let date = localDate(start); date <= localDate(end); date = nextDate(date)) {
    if (!isWorkingDay(calendar, date)) continue;
    const from = date === localDate(start) ? minuteOfDay(start) : 0;
    const to = date === localDate(end) ? minuteOfDay(end) : 24 * 60;
    for (const [a, b] of hours) total += Math.max(0, Math.min(b, to) - Math.max(a, from));
  }
  return total;
}

/** The instant at which `minutes` working minutes have passed after `start`. */
export function addWorkingMinutes(calendar: WorkingCalendar, start: Date, minutes: number): Date {
  const hours = calendar.hours ?? defaultHours;
  let left = minutes;
  let date = localDate(start);
  let from = minuteOfDay(start);
  for (let guard = 0; guard < 3660; guard++) {
    if (isWorkingDay(calendar, date)) {
      for (const [a, b] of hours) {
        const begin = Math.max(a, from);
        if (begin >= b) continue;
        if (left <= b - begin && left > 0) return instant(date, begin + left);
        if (left <= 0) return instant(date, begin);
        left -= b - begin;
      }
    }
    date = nextDate(date);
    from = 0;
  }
  throw new Error('No working time within ten years: the calendar is wrong');
}

/**
 * The deadline of a time limit started at `start`. Working days follow the usual rule that the day a
 * matter starts is not counted: the deadline is the close of office on the Nth working day after it.
 */
export function deadline(calendar: WorkingCalendar, start: Date, value: number, unit: LimitUnit): Date {
  const hours = calendar.hours ?? defaultHours;
  const close = hours[hours.length - 1]?.[1] ?? 17 * 60;
  switch (unit) {
    case 'hours':
      return new Date(start.getTime() + value * 3600_000);
    case 'days':
      return instant(nextDate(localDate(start), value), 24 * 60 - 1);
    case 'working_hours':
      return addWorkingMinutes(calendar, start, value * 60);
    case 'working_days': {
      let date = localDate(start);
      for (let counted = 0; counted < value;) {
        date = nextDate(date);
        if (isWorkingDay(calendar, date)) counted++;
      }
      return instant(date, close);
    }
  }
}

/** A deadline moved on after a pause (e.g. while the applicant corrects their application). */
export function resumeDeadline(calendar: WorkingCalendar, deadlineAt: Date, pausedAt: Date, resumedAt: Date): Date {
  const remaining = workingMinutesBetween(calendar, pausedAt, deadlineAt);
  return addWorkingMinutes(calendar, resumedAt, remaining);
}

/** China's 2026 public holidays and make-up working days (State Council schedule), the seed for the editable calendar. */
export const chinaCalendar2026 = {
  holidays: [
    ['2026-01-01', '元旦'],
    ['2026-01-02', '元旦'],
    ['2026-01-03', '元旦'],
    ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => [`2026-02-${d}`, '春节']),
    ['2026-04-04', '清明节'],
    ['2026-04-05', '清明节'],
    ['2026-04-06', '清明节'],
    ...['01', '02', '03', '04', '05'].map((d) => [`2026-05-${d}`, '劳动节']),
    ['2026-06-19', '端午节'],
    ['2026-06-20', '端午节'],
    ['2026-06-21', '端午节'],
    ['2026-09-25', '中秋节'],
    ['2026-09-26', '中秋节'],
    ['2026-09-27', '中秋节'],
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => [`2026-10-${d}`, '国庆节']),
  ] as Array<[string, string]>,
  workdays: [
    ['2026-01-04', '元旦调休'],
    ['2026-02-14', '春节调休'],
    ['2026-02-28', '春节调休'],
    ['2026-05-09', '劳动节调休'],
    ['2026-09-20', '国庆节调休'],
    ['2026-10-10', '国庆节调休'],
  ] as Array<[string, string]>,
};

export function calendarOf(days: { holidays: Array<[string, string]>; workdays: Array<[string, string]> }): WorkingCalendar {
  return { holidays: new Set(days.holidays.map(([d]) => d)), workdays: new Set(days.workdays.map(([d]) => d)) };
}
