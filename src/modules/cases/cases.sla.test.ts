import { describe, expect, it } from 'vitest';
import { calendarOf, chinaCalendar2026 } from '../../platform/calendar/working-time.js';
import { followUpDue, resumeClock, startClock, warnPoint } from './cases.sla.js';
import { isValidReceiptNo, receiptCheckDigit, receiptNumber } from './cases.service.js';

const cal = calendarOf(chinaCalendar2026);
const at = (s: string) => new Date(s);

describe('SLA clock', () => {
  it('promises in working days, skipping the National Day holiday and counting the make-up Saturday', () => {
    // Submitted Tuesday 29 September 2026 10:00; 1–7 October are holidays, Saturday 10 October is a working day.
    const c = startClock(cal, at('2026-09-29T02:00:00Z'), { promised: { value: 3, unit: 'working_days' }, legal: { value: 5, unit: 'working_days' } });
    expect(c.promisedBy.toISOString()).toBe('2026-10-09T09:00:00.000Z'); // 30 Sep, 8 Oct, 9 Oct
    expect(c.legalBy.toISOString()).toBe('2026-10-12T09:00:00.000Z'); // … 10 Oct (Saturday, make-up), 12 Oct
    expect(c.warnAt < c.promisedBy && c.warnAt > at('2026-09-29T02:00:00Z')).toBe(true);
  });

  it('warns at 80% of the working time', () => {
    // Monday 09:00 → Monday 17:00 (7 working hours): 80% is 5.6 h → 15:36.
    expect(warnPoint(cal, at('2026-11-23T01:00:00Z'), at('2026-11-23T09:00:00Z')).toISOString()).toBe('2026-11-23T07:36:00.000Z');
  });

  it('keeps the working time left across a pause', () => {
    const start = at('2026-11-23T02:00:00Z');
    const c = startClock(cal, start, { promised: { value: 2, unit: 'working_days' }, legal: { value: 4, unit: 'working_days' } });
    // Paused at the start, resumed a week later: every deadline moves by five working days.
    const r = resumeClock(cal, c, start, at('2026-11-30T02:00:00Z'));
    expect(r.promisedBy.toISOString()).toBe('2026-12-02T09:00:00.000Z');
    expect(r.legalBy.toISOString()).toBe('2026-12-04T09:00:00.000Z');
  });

  it('gives a follow-up 15 working days', () => {
    expect(followUpDue(cal, at('2026-11-23T02:00:00Z')).toISOString()).toBe('2026-12-14T09:00:00.000Z');
  });
});

describe('receipt numbers', () => {
  it('carry the local date, a sequence and a check digit that catches a changed digit', () => {
    const no = receiptNumber(at('2026-11-23T17:00:00Z'), 42); // 01:00 on the 24th in Chengdu
    expect(no).toMatch(/^202611240000042\d$/);
    expect(isValidReceiptNo(no)).toBe(true);
    for (let i = 0; i < no.length - 1; i++) {
      const changed = no.slice(0, i) + String((Number(no[i]) + 1) % 10) + no.slice(i + 1);
      expect(isValidReceiptNo(changed), changed).toBe(false);
    }
    expect(receiptCheckDigit('0')).toMatch(/^\d$/);
  });
});
