import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { PositionInput } from './live.types.js';

/** Local "YYYY-MM-DD HH:MM:SS" in a time zone to unix seconds. */
export function localToUnix(value: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return Number.NaN;
  const guess = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
  // The zone's offset at that instant (twice, to settle across a DST change).
  let t = guess;
  for (let i = 0; i < 2; i++) t = guess - offset(t, timeZone);
  return t;
}

function offset(unix: number, timeZone: string): number {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(unix * 1000))) p[part.type] = part.value;
  return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) / 1000 - unix;
}

/**
 * Reads a TransitClock AVL CSV (vehicleId,time,assignmentId,assignmentType,heading,latitude,longitude; local times)
 * into positions. A BLOCK_ID assignment becomes blockId, a TRIP_ID one tripId.
 */
export function readAvlCsv(file: string, timeZone: string): PositionInput[] {
  const rows = parse(readFileSync(file, 'utf8'), { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const out: PositionInput[] = [];
  for (const r of rows) {
    const timestamp = localToUnix(r.time ?? '', timeZone);
    const lat = Number(r.latitude);
    const lon = Number(r.longitude);
    if (!r.vehicleId || !Number.isFinite(timestamp) || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    const heading = Number(r.heading);
    const type = (r.assignmentType ?? '').toUpperCase();
    out.push({
      vehicleId: r.vehicleId,
      timestamp,
      lat,
      lon,
      ...(Number.isFinite(heading) && heading >= 0 && heading <= 360 ? { bearing: heading } : {}),
      ...(type === 'BLOCK_ID' && r.assignmentId ? { blockId: r.assignmentId } : {}),
      ...(type === 'TRIP_ID' && r.assignmentId ? { tripId: r.assignmentId } : {}),
    });
  }
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

/** The CSV files of a path (a file or a directory). */
export function avlFiles(target: string): string[] {
  if (statSync(target).isDirectory())
    return readdirSync(target)
      .filter((f) => f.toLowerCase().endsWith('.csv'))
      .sort()
      .map((f) => path.join(target, f));
  return [target];
}
