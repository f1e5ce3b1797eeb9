import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, calendarOf, chinaCalendar2026, deadline, isWorkingDay, resumeDeadline, workingMinutesBetween } from './working-time.js';

const cal = calendarOf(chinaCalendar2026);
// Local (UTC+8) wall time as an instant.
const at = (local: string) => new Date(`${local}+08:00`);

describe('working days', () => {
  it.each([
    ['2026-11-27', true], // Friday
    ['2026-11-28', false], // Saturday
    ['2026-10-01', false], // National Day
    ['2026-10-10', true], // Saturday made a working day
    ['2026-02-14', true],
    ['2026-02-16', false],
  ])('%s working: %s', (date, expected) => expect(isWorkingDay(cal, date)).toBe(expected));
});

describe('deadline', () => {
  it('counts working days from the day after, ending at the close of office', () => {
    // Friday → Mon 30 Nov, Tue 1 Dec, Wed 2 Dec
    expect(deadline(cal, at('2026-11-27T10:00:00'), 3, 'working_days')).toEqual(at('2026-12-02T17:00:00'));
  });

  it('skips the National Day week and counts the make-up Saturday', () => {
    // Wed 30 Sep → Oct 1–7 holiday → Thu 8, Fri 9, Sat 10 (make-up)
    expect(deadline(cal, at('2026-09-30T15:00:00'), 3, 'working_days')).toEqual(at('2026-10-10T17:00:00'));
  });

  it('counts working hours inside office hours, across lunch and the weekend', () => {
    // Fri 16:00 + 3h → 1h Friday, then Monday 9:00 + 2h = 11:00
    expect(deadline(cal, at('2026-11-27T16:00:00'), 3, 'working_hours')).toEqual(at('2026-11-30T11:00:00'));
    // 11:00 + 2h → 12:00, lunch, 13:00 + 1h = 14:00
    expect(deadline(cal, at('2026-11-30T11:00:00'), 2, 'working_hours')).toEqual(at('2026-11-30T14:00:00'));
  });

  it('starts working hours at the next opening when submitted at night', () => {
    expect(addWorkingMinutes(cal, at('2026-11-27T22:30:00'), 30)).toEqual(at('2026-11-30T09:30:00'));
  });

  it('handles calendar hours and days', () => {
    expect(deadline(cal, at('2026-11-27T10:00:00'), 12, 'hours')).toEqual(at('2026-11-27T22:00:00'));
  });
});

describe('pauses', () => {
  it('measures working minutes and moves a deadline by the paused working time', () => {
    expect(workingMinutesBetween(cal, at('2026-11-27T16:00:00'), at('2026-11-30T10:00:00'))).toBe(120);
    const due = at('2026-12-02T17:00:00');
    // Paused Monday 9:00, resumed Thursday 9:00: the 3 working days left (21 h) start again on Thursday.
    expect(resumeDeadline(cal, due, at('2026-11-30T09:00:00'), at('2026-12-03T09:00:00'))).toEqual(at('2026-12-07T17:00:00'));
  });
});
