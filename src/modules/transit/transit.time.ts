// Service days and local times for GTFS: times in a feed are seconds after "noon minus 12 h" of the
// service day in the agency's time zone, and a service day is named by its local date (YYYYMMDD).

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter of local date and 24-hour time in the zone. */
export function formatter(timeZone: string): Intl.DateTimeFormat {
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

/** Whether the name is an IANA time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(unixSeconds: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(unixSeconds * 1000))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Offset of the zone from UTC at that instant, in seconds (east positive). */
function offsetAt(unixSeconds: number, timeZone: string): number {
  const p = localParts(unixSeconds, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000;
  return asUtc - Math.floor(unixSeconds);
}

/** 'YYYYMMDD' or 'YYYY-MM-DD' → [y, m, d], or null when it is not a real date. */
export function parseServiceDate(date: string): [number, number, number] | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return [y, mo, d];
}

export function formatServiceDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

/** The local date (YYYYMMDD) of an instant in a time zone. */
export function serviceDateOf(unixSeconds: number, timeZone: string): string {
  const p = localParts(unixSeconds, timeZone);
  return formatServiceDate(p.year, p.month, p.day);
}

/** The service date n days after the given one. */
export function addDays(date: string, n: number): string {
  const p = parseServiceDate(date);
  if (!p) throw new RangeError(`not a service date: ${date}`);
  const t = new Date(Date.UTC(p[0], p[1] - 1, p[2] + n));
  return formatServiceDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Day of week of a service date, 0 = Monday … 6 = Sunday. */
export function weekdayOf(date: string): number {
  const p = parseServiceDate(date);
  if (!p) throw new RangeError(`not a service date: ${date}`);
  return (new Date(Date.UTC(p[0], p[1] - 1, p[2])).getUTCDay() + 6) % 7;
}

const dayStarts = new Map<string, number>();

/**
 * Unix seconds at which "0:00:00" of the service date falls: local noon minus 12 hours, as GTFS
 * defines it (so on the days clocks change, times still count from the same reference). Remembered per
 * zone and date: live predictions ask for it at every position.
 */
export function serviceDayStart(date: string, timeZone: string): number {
  const key = `${timeZone}|${date}`;
  const cached = dayStarts.get(key);
  if (cached !== undefined) return cached;
  const p = parseServiceDate(date);
  if (!p) throw new RangeError(`not a service date: ${date}`);
  const noonUtcGuess = Date.UTC(p[0], p[1] - 1, p[2], 12) / 1000;
  const localNoon = noonUtcGuess - offsetAt(noonUtcGuess, timeZone);
  // A second pass in case the first guess crossed an offset change.
  const corrected = noonUtcGuess - offsetAt(localNoon, timeZone);
  if (dayStarts.size > 10_000) dayStarts.clear();
  dayStarts.set(key, corrected - 12 * 3600);
  return corrected - 12 * 3600;
}

/** 'H:MM:SS' (hours may exceed 23) → seconds, or null when malformed. */
export function parseGtfsTime(value: string): number | null {
  const m = /^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$/.exec(value);
  if (!m) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Seconds after the service day's start as 'HH:MM:SS' (rounded; never negative). */
export function formatGtfsTime(seconds: number): string {
  const t = Math.max(0, Math.round(seconds));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
