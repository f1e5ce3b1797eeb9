/**
 * The hot-path local time of a unix time for live predictions; the rest of GTFS time (service day starts,
 * dates, 'HH:MM:SS') is shared with the timetable side in ../transit.time.ts.
 */
import { formatter } from '../transit.time.js';

export { addDays, formatGtfsTime, serviceDayStart, weekdayOf } from '../transit.time.js';

const offsets = new Map<string, number>();

/**
 * Local calendar fields of a unix time. The zone's offset is looked up once per zone and quarter hour (every
 * offset change in use falls on one), so the hot path does arithmetic rather than Intl formatting.
 */
export function localParts(unix: number, timeZone: string): { date: string; seconds: number; y: number; m: number; d: number } {
  const key = `${timeZone}|${Math.floor(unix / 900)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const p = intlParts(Math.floor(unix / 900) * 900, timeZone);
    offset = Date.UTC(p.y, p.m - 1, p.d) / 1000 + p.seconds - Math.floor(unix / 900) * 900;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  const local = Math.floor(unix) + offset;
  const dayNumber = Math.floor(local / 86400);
  const t = new Date(dayNumber * 86400_000);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + 1;
  const d = t.getUTCDate();
  return { date: `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`, seconds: local - dayNumber * 86400, y, m, d };
}

function intlParts(unix: number, timeZone: string): { date: string; seconds: number; y: number; m: number; d: number } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(unix * 1000))) parts[p.type] = p.value;
  const y = Number(parts.year);
  const m = Number(parts.month);
  const d = Number(parts.day);
  return { date: `${parts.year}${parts.month}${parts.day}`, seconds: Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second), y, m, d };
}
