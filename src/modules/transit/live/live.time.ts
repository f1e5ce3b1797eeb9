/** Service days and clock times in an agency's time zone (GTFS times count from "noon minus 12 h"). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

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

/** Offset of the zone from UTC at a unix time, in seconds. */
function offsetAt(unix: number, timeZone: string): number {
  const p = intlParts(unix, timeZone);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d) / 1000 + p.seconds;
  return asUtc - Math.floor(unix);
}

const dayStarts = new Map<string, number>();

/** Unix time of a service date's start (local noon minus 12 hours, as GTFS defines it). */
export function serviceDayStart(date: string, timeZone: string): number {
  const key = `${timeZone}|${date}`;
  const cached = dayStarts.get(key);
  if (cached !== undefined) return cached;
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(4, 6));
  const d = Number(date.slice(6, 8));
  const noonUtc = Date.UTC(y, m - 1, d, 12) / 1000;
  const noon = noonUtc - offsetAt(noonUtc, timeZone);
  const start = noon - 43_200;
  if (dayStarts.size > 10_000) dayStarts.clear();
  dayStarts.set(key, start);
  return start;
}

export function addDays(date: string, days: number): string {
  const t = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)) + days));
  return `${t.getUTCFullYear()}${String(t.getUTCMonth() + 1).padStart(2, '0')}${String(t.getUTCDate()).padStart(2, '0')}`;
}

/** "HH:MM:SS" (may exceed 24) to seconds; NaN when malformed. */
export function parseGtfsTime(value: string): number {
  const m = /^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$/.exec(value);
  if (!m) return Number.NaN;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

export function formatGtfsTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** The weekday (0 = Monday) of a YYYYMMDD date. */
export function weekdayOf(date: string): number {
  const t = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))));
  return (t.getUTCDay() + 6) % 7;
}
