// GTFS static import: streams each file of the zip through csv-parse, checks it, writes it into a new
// feed version in ONE transaction that also makes that version the agency's active one. A feed with
// errors changes nothing: it gets a report (file, line, problem) and a row with status 'failed'.

import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import yauzl from 'yauzl';
import { and, eq, getTableName, max, ne, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../platform/db/db.js';
import { recordAudit, type AuditEntry } from '../../platform/audit/audit.js';
import {
  calendarDates,
  calendars,
  feeds,
  frequencies,
  gtfsAgencies,
  routes,
  shapes,
  stopTimes,
  stops,
  trips,
  type FeedCounts,
  type FeedProblem,
} from './transit.schema.js';
import { isTimeZone, parseGtfsTime, parseServiceDate } from './transit.time.js';

export interface ImportOptions {
  agencyCode: string;
  sourceName: string;
  /** Who asked (audit). */
  audit: Omit<AuditEntry, 'action' | 'outcome' | 'resourceType' | 'resourceId' | 'detail'>;
  /**
   * Demo only: move every calendar window so it covers this date (YYYYMMDD), keeping weekdays, for an
   * old real feed to have service today. Never used for a real import.
   */
  rebaseCalendarTo?: string | undefined;
}

export interface ImportResult {
  ok: boolean;
  feedId: string;
  version: number;
  counts: FeedCounts;
  problems: FeedProblem[];
  /** Problems beyond the first MAX_PROBLEMS were counted, not listed. */
  moreProblems: number;
  millis: number;
}

const MAX_PROBLEMS = 200;
const BATCH = 5000;

class Problems {
  list: FeedProblem[] = [];
  more = 0;
  errors = 0;
  add(file: string, line: number | undefined, severity: 'error' | 'warning', message: string) {
    if (severity === 'error') this.errors++;
    if (this.list.length < MAX_PROBLEMS) this.list.push({ file, line, severity, message });
    else this.more++;
  }
}

/** Thrown inside the transaction to roll it back when the feed has errors. */
class FeedRejected extends Error {}

type Row = Record<string, string>;

/** Reads the central directory; entries are keyed by file name (folders inside the zip are ignored). */
async function openZip(source: Buffer | string): Promise<{ zip: yauzl.ZipFile; entries: Map<string, yauzl.Entry> }> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    const cb = (err: Error | null, z: yauzl.ZipFile) => (err ? reject(err) : resolve(z));
    if (typeof source === 'string') yauzl.open(source, { lazyEntries: true, autoClose: false }, cb);
    else yauzl.fromBuffer(source, { lazyEntries: true, autoClose: false }, cb);
  });
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      if (!e.fileName.endsWith('/')) {
        const base = e.fileName.split('/').pop()!.toLowerCase();
        if (!entries.has(base)) entries.set(base, e);
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return { zip, entries };
}

function openStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
}

/**
 * Streams the rows of one file with their line numbers. Header names are trimmed (real feeds write
 * " exact_times"), the byte-order mark is dropped, quoted values are unquoted.
 */
async function* rowsOfFile(zip: yauzl.ZipFile, entry: yauzl.Entry): AsyncGenerator<{ row: Row; line: number; header: string[] }> {
  const stream = await openStream(zip, entry);
  let header: string[] = [];
  const parser = stream.pipe(
    parse({
      bom: true,
      columns: (h: string[]) => (header = h.map((c) => c.trim().toLowerCase())),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }),
  );
  stream.on('error', (e) => parser.destroy(e));
  for await (const rec of parser as AsyncIterable<{ record: Row; info: { lines: number } }>) {
    yield { row: rec.record, line: rec.info.lines, header };
  }
}

const REQUIRED_FILES = ['agency.txt', 'stops.txt', 'routes.txt', 'trips.txt', 'stop_times.txt'];
const REQUIRED_COLUMNS: Record<string, string[]> = {
  'agency.txt': ['agency_name', 'agency_timezone'],
  'stops.txt': ['stop_id'],
  'routes.txt': ['route_id', 'route_type'],
  'trips.txt': ['route_id', 'service_id', 'trip_id'],
  'stop_times.txt': ['trip_id', 'stop_id', 'stop_sequence'],
  'calendar.txt': ['service_id', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'start_date', 'end_date'],
  'calendar_dates.txt': ['service_id', 'date', 'exception_type'],
  'shapes.txt': ['shape_id', 'shape_pt_lat', 'shape_pt_lon', 'shape_pt_sequence'],
  'frequencies.txt': ['trip_id', 'start_time', 'end_time', 'headway_secs'],
};

const blank = (v: string | undefined): v is undefined => v === undefined || v === '';
const opt = (v: string | undefined): string | null => (blank(v) ? null : v);

function int(v: string | undefined): number | null {
  if (blank(v) || !/^-?\d+$/.test(v)) return null;
  return Number(v);
}
function num(v: string | undefined): number | null {
  if (blank(v)) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Imports a GTFS zip for an agency (department code). Never throws for a bad feed: see `ok` and `problems`. */
export async function importGtfs(db: Db, source: Buffer | string, options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const problems = new Problems();
  const counts: FeedCounts = { agencies: 0, routes: 0, stops: 0, trips: 0, stopTimes: 0, calendars: 0, calendarDates: 0, shapes: 0, frequencies: 0 };
  const [{ v } = { v: 0 }] = await db
    .select({ v: max(feeds.version) })
    .from(feeds)
    .where(eq(feeds.agencyCode, options.agencyCode));
  const version = (v ?? 0) + 1;
  let feedId = '';
  let timezone = 'Asia/Shanghai';

  let opened: Awaited<ReturnType<typeof openZip>> | null = null;
  try {
    opened = await openZip(source);
  } catch (e) {
    problems.add('(zip)', undefined, 'error', `not a readable zip archive: ${(e as Error).message}`);
  }

  if (opened) {
    const { zip, entries } = opened;
    for (const f of REQUIRED_FILES) if (!entries.has(f)) problems.add(f, undefined, 'error', 'required file is missing');
    if (!entries.has('calendar.txt') && !entries.has('calendar_dates.txt'))
      problems.add('calendar.txt', undefined, 'error', 'calendar.txt or calendar_dates.txt is required');
    if (problems.errors === 0) {
      try {
        await db.transaction(async (tx) => {
          const [feed] = await tx
            .insert(feeds)
            .values({ agencyCode: options.agencyCode, version, status: 'importing', sourceName: options.sourceName, importedBy: options.audit.actorId ?? null })
            .returning({ id: feeds.id });
          feedId = feed!.id;
          timezone = await writeFeed(tx, zip, entries, feedId, problems, counts, options);
          if (problems.errors > 0) throw new FeedRejected();
          // The switch: the old version stops being active and the new one starts, in this transaction.
          await tx
            .update(feeds)
            .set({ active: false, status: 'superseded' })
            .where(and(eq(feeds.agencyCode, options.agencyCode), eq(feeds.active, true)));
          await tx
            .update(feeds)
            .set({ active: true, status: 'ready', timezone, counts, problems: problems.list, activatedAt: new Date() })
            .where(eq(feeds.id, feedId));
          await dropOldVersions(tx, options.agencyCode, feedId);
          await recordAudit(tx, {
            ...options.audit,
            action: 'transit.feed.import',
            outcome: 'ok',
            resourceType: 'transit_feed',
            resourceId: feedId,
            detail: { agencyCode: options.agencyCode, version, sourceName: options.sourceName, counts, warnings: problems.list.length + problems.more },
          });
        });
      } catch (e) {
        if (!(e instanceof FeedRejected)) {
          problems.add('(import)', undefined, 'error', (e as Error).message);
        }
      } finally {
        zip.close();
      }
    } else zip.close();
  }

  const ok = problems.errors === 0;
  if (!ok) {
    // The report survives the rolled-back import as a failed version with no rows.
    const [row] = await db
      .insert(feeds)
      .values({
        agencyCode: options.agencyCode,
        version,
        status: 'failed',
        sourceName: options.sourceName,
        importedBy: options.audit.actorId ?? null,
        counts,
        problems: problems.list,
      })
      .returning({ id: feeds.id });
    feedId = row!.id;
    await recordAudit(db, {
      ...options.audit,
      action: 'transit.feed.import',
      outcome: 'failed',
      resourceType: 'transit_feed',
      resourceId: feedId,
      detail: { agencyCode: options.agencyCode, version, sourceName: options.sourceName, errors: problems.errors },
    });
  }
  return { ok, feedId, version, counts, problems: problems.list, moreProblems: problems.more, millis: Math.round(performance.now() - started) };
}

/** Keeps the active and the previous version's rows (for a quick look back); deletes older ones. */
async function dropOldVersions(tx: Executor, agencyCode: string, activeId: string): Promise<void> {
  const old = await tx
    .select({ id: feeds.id, version: feeds.version })
    .from(feeds)
    .where(and(eq(feeds.agencyCode, agencyCode), ne(feeds.id, activeId), eq(feeds.status, 'superseded')));
  old.sort((a, b) => b.version - a.version);
  for (const f of old.slice(1)) {
    for (const t of [stopTimes, trips, stops, routes, gtfsAgencies, calendars, calendarDates, shapes, frequencies]) {
      await tx.delete(t).where(eq(t.feedId, f.id));
    }
  }
}

async function writeFeed(
  tx: Executor,
  zip: yauzl.ZipFile,
  entries: Map<string, yauzl.Entry>,
  feedId: string,
  problems: Problems,
  counts: FeedCounts,
  options: ImportOptions,
): Promise<string> {
  /** Runs the rows of a file through `each`, checking required columns first. */
  const read = async (file: string, each: (row: Row, line: number) => Promise<void> | void): Promise<boolean> => {
    const entry = entries.get(file);
    if (!entry) return false;
    let checked = false;
    try {
      for await (const { row, line, header } of rowsOfFile(zip, entry)) {
        if (!checked) {
          checked = true;
          const missing = (REQUIRED_COLUMNS[file] ?? []).filter((c) => !header.includes(c));
          if (missing.length) {
            problems.add(file, 1, 'error', `required column(s) missing: ${missing.join(', ')}`);
            return false;
          }
        }
        await each(row, line);
      }
    } catch (e) {
      const err = e as Error & { lines?: number; code?: string };
      if (!/^CSV_|^INVALID_/.test(err.code ?? '') && !/inflat|zip|header|invalid/i.test(err.message)) throw e;
      problems.add(file, err.lines, 'error', `cannot be read: ${err.message}`);
      return false;
    }
    return true;
  };
  const need = (file: string, line: number, row: Row, col: string): string | null => {
    const v = row[col];
    if (blank(v)) {
      problems.add(file, line, 'error', `${col} is required`);
      return null;
    }
    return v;
  };

  // agency.txt
  let timezone = '';
  const agencyRows: (typeof gtfsAgencies.$inferInsert)[] = [];
  const agencyIds = new Set<string>();
  await read('agency.txt', (row, line) => {
    const name = need('agency.txt', line, row, 'agency_name');
    const tz = need('agency.txt', line, row, 'agency_timezone');
    if (tz && !isTimeZone(tz)) problems.add('agency.txt', line, 'error', `agency_timezone "${tz}" is not a known time zone`);
    else if (tz && timezone && tz !== timezone) problems.add('agency.txt', line, 'error', 'all agencies of a feed must share one agency_timezone');
    else if (tz) timezone = tz;
    const id = row.agency_id || '';
    if (agencyIds.has(id)) problems.add('agency.txt', line, 'error', `duplicate agency_id "${id}"`);
    agencyIds.add(id);
    if (name && tz)
      agencyRows.push({ feedId, agencyId: id, name, url: opt(row.agency_url), timezone: tz, lang: opt(row.agency_lang), phone: opt(row.agency_phone) });
  });
  if (agencyRows.length === 0 && entries.has('agency.txt')) problems.add('agency.txt', undefined, 'error', 'no agency');
  await insertAll(tx, gtfsAgencies, agencyRows);
  counts.agencies = agencyRows.length;

  // stops.txt
  const stopIds = new Set<string>();
  let batch: (typeof stops.$inferInsert)[] = [];
  await read('stops.txt', async (row, line) => {
    const id = need('stops.txt', line, row, 'stop_id');
    if (!id) return;
    if (stopIds.has(id)) return problems.add('stops.txt', line, 'error', `duplicate stop_id "${id}"`);
    stopIds.add(id);
    const locationType = blank(row.location_type) ? 0 : int(row.location_type);
    if (locationType === null || locationType < 0 || locationType > 4)
      return problems.add('stops.txt', line, 'error', `location_type "${row.location_type}" must be 0–4`);
    const lat = num(row.stop_lat);
    const lon = num(row.stop_lon);
    const needsPlace = locationType <= 2;
    if (needsPlace && (lat === null || lat < -90 || lat > 90 || lon === null || lon < -180 || lon > 180))
      return problems.add('stops.txt', line, 'error', `stop "${id}" has no valid stop_lat/stop_lon`);
    const name = row.stop_name ?? '';
    if (needsPlace && blank(name)) problems.add('stops.txt', line, 'warning', `stop "${id}" has no stop_name`);
    batch.push({
      feedId,
      stopId: id,
      code: opt(row.stop_code),
      name: name || id,
      description: opt(row.stop_desc),
      lat: lat ?? 0,
      lon: lon ?? 0,
      locationType,
      parentStation: opt(row.parent_station),
      wheelchairBoarding: int(row.wheelchair_boarding),
    });
    if (batch.length >= BATCH) batch = await flush(tx, stops, batch);
  });
  await flush(tx, stops, batch);
  counts.stops = stopIds.size;

  // routes.txt
  const routeIds = new Set<string>();
  const routeRows: (typeof routes.$inferInsert)[] = [];
  await read('routes.txt', (row, line) => {
    const id = need('routes.txt', line, row, 'route_id');
    if (!id) return;
    if (routeIds.has(id)) return problems.add('routes.txt', line, 'error', `duplicate route_id "${id}"`);
    routeIds.add(id);
    const type = int(row.route_type);
    if (type === null) return problems.add('routes.txt', line, 'error', `route_type "${row.route_type ?? ''}" is not an integer`);
    if (blank(row.route_short_name) && blank(row.route_long_name))
      problems.add('routes.txt', line, 'error', `route "${id}" needs route_short_name or route_long_name`);
    if (!blank(row.agency_id) && agencyIds.size > 0 && !agencyIds.has(row.agency_id))
      problems.add('routes.txt', line, 'error', `agency_id "${row.agency_id}" is not in agency.txt`);
    routeRows.push({
      feedId,
      routeId: id,
      agencyId: opt(row.agency_id) ?? (agencyRows.length === 1 ? (agencyRows[0]!.agencyId ?? null) : null),
      shortName: opt(row.route_short_name),
      longName: opt(row.route_long_name),
      description: opt(row.route_desc),
      routeType: type,
      color: opt(row.route_color),
      textColor: opt(row.route_text_color),
      sortOrder: int(row.route_sort_order),
    });
  });
  await insertAll(tx, routes, routeRows);
  counts.routes = routeRows.length;

  // calendar.txt and calendar_dates.txt
  const serviceIds = new Set<string>();
  const calRows: (typeof calendars.$inferInsert)[] = [];
  const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  await read('calendar.txt', (row, line) => {
    const id = need('calendar.txt', line, row, 'service_id');
    if (!id) return;
    if (serviceIds.has(id)) return problems.add('calendar.txt', line, 'error', `duplicate service_id "${id}"`);
    let weekdays = 0;
    for (let i = 0; i < 7; i++) {
      const d = row[days[i]!];
      if (d !== '0' && d !== '1') return problems.add('calendar.txt', line, 'error', `${days[i]} must be 0 or 1`);
      if (d === '1') weekdays |= 1 << i;
    }
    const start = row.start_date ?? '';
    const end = row.end_date ?? '';
    if (!/^\d{8}$/.test(start) || !parseServiceDate(start)) return problems.add('calendar.txt', line, 'error', `start_date "${start}" is not YYYYMMDD`);
    if (!/^\d{8}$/.test(end) || !parseServiceDate(end)) return problems.add('calendar.txt', line, 'error', `end_date "${end}" is not YYYYMMDD`);
    if (end < start) return problems.add('calendar.txt', line, 'error', 'end_date is before start_date');
    serviceIds.add(id);
    calRows.push({ feedId, serviceId: id, weekdays, startDate: start, endDate: end });
  });
  const dateRows: (typeof calendarDates.$inferInsert)[] = [];
  const seenDates = new Set<string>();
  await read('calendar_dates.txt', (row, line) => {
    const id = need('calendar_dates.txt', line, row, 'service_id');
    const date = row.date ?? '';
    const type = int(row.exception_type);
    if (!id) return;
    if (!/^\d{8}$/.test(date) || !parseServiceDate(date)) return problems.add('calendar_dates.txt', line, 'error', `date "${date}" is not YYYYMMDD`);
    if (type !== 1 && type !== 2) return problems.add('calendar_dates.txt', line, 'error', 'exception_type must be 1 or 2');
    const k = `${id}\u0000${date}`;
    if (seenDates.has(k)) return problems.add('calendar_dates.txt', line, 'error', `duplicate date ${date} for service "${id}"`);
    seenDates.add(k);
    serviceIds.add(id);
    dateRows.push({ feedId, serviceId: id, date, exceptionType: type });
  });
  if (options.rebaseCalendarTo) rebase(calRows, dateRows, options.rebaseCalendarTo);
  await insertAll(tx, calendars, calRows);
  await insertAll(tx, calendarDates, dateRows);
  counts.calendars = calRows.length;
  counts.calendarDates = dateRows.length;

  // shapes.txt: gathered per shape, sorted by sequence, one row per shape.
  const shapePts = new Map<string, [number, number, number, number | null][]>();
  await read('shapes.txt', (row, line) => {
    const id = need('shapes.txt', line, row, 'shape_id');
    const lat = num(row.shape_pt_lat);
    const lon = num(row.shape_pt_lon);
    const seq = int(row.shape_pt_sequence);
    if (!id) return;
    if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180)
      return problems.add('shapes.txt', line, 'error', `shape "${id}" point has no valid shape_pt_lat/shape_pt_lon`);
    if (seq === null || seq < 0)
      return problems.add('shapes.txt', line, 'error', `shape_pt_sequence "${row.shape_pt_sequence ?? ''}" is not a non-negative integer`);
    let list = shapePts.get(id);
    if (!list) shapePts.set(id, (list = []));
    list.push([seq, lat, lon, num(row.shape_dist_traveled)]);
  });
  let shapeBatch: (typeof shapes.$inferInsert)[] = [];
  for (const [id, pts] of shapePts) {
    pts.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < pts.length; i++) {
      if (pts[i]![0] === pts[i - 1]![0]) {
        problems.add('shapes.txt', undefined, 'error', `shape "${id}" repeats shape_pt_sequence ${pts[i]![0]}`);
        break;
      }
    }
    shapeBatch.push({ feedId, shapeId: id, points: pts.map((p) => [p[1], p[2], p[3]]) });
    if (shapeBatch.length >= 50) shapeBatch = await flush(tx, shapes, shapeBatch);
  }
  await flush(tx, shapes, shapeBatch);
  counts.shapes = shapePts.size;

  // trips.txt
  const tripIds = new Set<string>();
  let tripBatch: (typeof trips.$inferInsert)[] = [];
  await read('trips.txt', async (row, line) => {
    const id = need('trips.txt', line, row, 'trip_id');
    const routeId = need('trips.txt', line, row, 'route_id');
    const serviceId = need('trips.txt', line, row, 'service_id');
    if (!id || !routeId || !serviceId) return;
    if (tripIds.has(id)) return problems.add('trips.txt', line, 'error', `duplicate trip_id "${id}"`);
    if (!routeIds.has(routeId)) return problems.add('trips.txt', line, 'error', `route_id "${routeId}" is not in routes.txt`);
    if (!serviceIds.has(serviceId))
      problems.add('trips.txt', line, 'warning', `service_id "${serviceId}" is in neither calendar.txt nor calendar_dates.txt: the trip never runs`);
    const direction = blank(row.direction_id) ? null : int(row.direction_id);
    if (direction !== null && direction !== 0 && direction !== 1) return problems.add('trips.txt', line, 'error', 'direction_id must be 0 or 1');
    let shapeId = opt(row.shape_id);
    if (shapeId && !shapePts.has(shapeId)) {
      problems.add('trips.txt', line, 'warning', `shape_id "${shapeId}" is not in shapes.txt; the trip is drawn through its stops`);
      shapeId = null;
    }
    tripIds.add(id);
    tripBatch.push({
      feedId,
      tripId: id,
      routeId,
      serviceId,
      headsign: opt(row.trip_headsign),
      shortName: opt(row.trip_short_name),
      directionId: direction,
      blockId: opt(row.block_id),
      shapeId,
    });
    if (tripBatch.length >= BATCH) tripBatch = await flush(tx, trips, tripBatch);
  });
  await flush(tx, trips, tripBatch);
  counts.trips = tripIds.size;

  // stop_times.txt: checked per trip (sequence order, times not going back, arrival ≤ departure).
  const tripsWithTimes = new Set<string>();
  const missingTrips = new Map<string, number>();
  let stBatch: (typeof stopTimes.$inferInsert)[] = [];
  const seenSeq = new Set<string>();
  await read('stop_times.txt', async (row, line) => {
    const tripId = need('stop_times.txt', line, row, 'trip_id');
    const stopId = need('stop_times.txt', line, row, 'stop_id');
    if (!tripId || !stopId) return;
    if (!tripIds.has(tripId)) {
      // Real feeds cut down from bigger ones keep stop times of trips they dropped: skipped, reported once.
      if (!missingTrips.has(tripId)) missingTrips.set(tripId, line);
      return;
    }
    if (!stopIds.has(stopId)) return problems.add('stop_times.txt', line, 'error', `stop_id "${stopId}" is not in stops.txt`);
    const seq = int(row.stop_sequence);
    if (seq === null || seq < 0)
      return problems.add('stop_times.txt', line, 'error', `stop_sequence "${row.stop_sequence ?? ''}" is not a non-negative integer`);
    const key = `${tripId}\u0000${seq}`;
    if (seenSeq.has(key)) return problems.add('stop_times.txt', line, 'error', `trip "${tripId}" repeats stop_sequence ${seq}`);
    seenSeq.add(key);
    const arr = blank(row.arrival_time) ? null : parseGtfsTime(row.arrival_time);
    const dep = blank(row.departure_time) ? null : parseGtfsTime(row.departure_time);
    if (!blank(row.arrival_time) && arr === null) return problems.add('stop_times.txt', line, 'error', `arrival_time "${row.arrival_time}" is not H:MM:SS`);
    if (!blank(row.departure_time) && dep === null)
      return problems.add('stop_times.txt', line, 'error', `departure_time "${row.departure_time}" is not H:MM:SS`);
    if (arr !== null && dep !== null && dep < arr) return problems.add('stop_times.txt', line, 'error', 'departure_time is before arrival_time');
    tripsWithTimes.add(tripId);
    stBatch.push({
      feedId,
      tripId,
      stopSequence: seq,
      stopId,
      arrivalTime: arr ?? dep,
      departureTime: dep ?? arr,
      stopHeadsign: opt(row.stop_headsign),
      pickupType: int(row.pickup_type),
      dropOffType: int(row.drop_off_type),
      shapeDistTraveled: num(row.shape_dist_traveled),
      timepoint: int(row.timepoint),
    });
    if (stBatch.length >= BATCH) stBatch = await flush(tx, stopTimes, stBatch);
  });
  await flush(tx, stopTimes, stBatch);
  counts.stopTimes = seenSeq.size;
  seenSeq.clear();
  if (missingTrips.size > 0) {
    const [first] = missingTrips;
    problems.add(
      'stop_times.txt',
      first![1],
      'warning',
      `${missingTrips.size} trip_id(s) are not in trips.txt (first "${first![0]}"); their stop times were skipped`,
    );
  }
  const noTimes = [...tripIds].filter((t) => !tripsWithTimes.has(t));
  if (noTimes.length > 0) {
    problems.add('trips.txt', undefined, 'warning', `${noTimes.length} trip(s) have no stop times (first "${noTimes[0]}") and were left out`);
    for (let i = 0; i < noTimes.length; i += BATCH) {
      await tx.delete(trips).where(and(eq(trips.feedId, feedId), sql`${trips.tripId} = any(${sql.param(noTimes.slice(i, i + BATCH))}::text[])`));
    }
    counts.trips -= noTimes.length;
  }
  if (problems.errors === 0 && tripsWithTimes.size > 0) await checkTripOrder(tx, feedId, problems);

  // frequencies.txt
  const freqRows: (typeof frequencies.$inferInsert)[] = [];
  const freqKeys = new Set<string>();
  await read('frequencies.txt', (row, line) => {
    const tripId = need('frequencies.txt', line, row, 'trip_id');
    if (!tripId) return;
    if (!tripsWithTimes.has(tripId)) return problems.add('frequencies.txt', line, 'warning', `trip_id "${tripId}" is not a trip with stop times; skipped`);
    const start = parseGtfsTime(row.start_time ?? '');
    const end = parseGtfsTime(row.end_time ?? '');
    const headway = int(row.headway_secs);
    if (start === null || end === null) return problems.add('frequencies.txt', line, 'error', 'start_time and end_time must be H:MM:SS');
    if (end <= start) return problems.add('frequencies.txt', line, 'error', 'end_time must be after start_time');
    if (headway === null || headway <= 0) return problems.add('frequencies.txt', line, 'error', 'headway_secs must be a positive integer');
    const exact = blank(row.exact_times) ? 0 : int(row.exact_times);
    if (exact !== 0 && exact !== 1) return problems.add('frequencies.txt', line, 'error', 'exact_times must be 0 or 1');
    const k = `${tripId}\u0000${start}`;
    if (freqKeys.has(k)) return problems.add('frequencies.txt', line, 'error', `trip "${tripId}" has two windows starting at ${row.start_time}`);
    freqKeys.add(k);
    freqRows.push({ feedId, tripId, startTime: start, endTime: end, headwaySecs: headway, exactTimes: exact });
  });
  await insertAll(tx, frequencies, freqRows);
  counts.frequencies = freqRows.length;
  return timezone || 'Asia/Shanghai';
}

/** Times must not go backwards along a trip (checked in SQL, so a city-size feed is not held in memory). */
async function checkTripOrder(tx: Executor, feedId: string, problems: Problems): Promise<void> {
  const result = await tx.execute(sql`
    SELECT trip_id, stop_sequence FROM (
      SELECT trip_id, stop_sequence, arrival_time,
             max(departure_time) OVER (PARTITION BY trip_id ORDER BY stop_sequence ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
      FROM transit_stop_times WHERE feed_id = ${feedId}
    ) t WHERE arrival_time < before LIMIT 20`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { trip_id: string; stop_sequence: number }[];
  for (const r of rows) {
    problems.add('stop_times.txt', undefined, 'error', `trip "${r.trip_id}" goes back in time at stop_sequence ${r.stop_sequence}`);
  }
}

/** Moves calendar windows to cover `today` (demo data only; see ImportOptions.rebaseCalendarTo). */
function rebase(cal: (typeof calendars.$inferInsert)[], dates: (typeof calendarDates.$inferInsert)[], today: string): void {
  const y = Number(today.slice(0, 4));
  for (const c of cal) {
    if (c.startDate <= today && today <= c.endDate) continue;
    c.startDate = `${y - 1}0101`;
    c.endDate = `${y + 1}1231`;
  }
  // Old exceptions no longer mean anything once the window moved.
  dates.length = 0;
}

type AnyTable =
  | typeof stops
  | typeof routes
  | typeof trips
  | typeof stopTimes
  | typeof shapes
  | typeof frequencies
  | typeof calendars
  | typeof calendarDates
  | typeof gtfsAgencies;

/** Column name → (property, PostgreSQL array type) for the tables written in bulk with unnest(). */
const BULK: Partial<Record<string, [string, string, string][]>> = {
  transit_stop_times: [
    ['feed_id', 'feedId', 'uuid'],
    ['trip_id', 'tripId', 'text'],
    ['stop_sequence', 'stopSequence', 'int'],
    ['stop_id', 'stopId', 'text'],
    ['arrival_time', 'arrivalTime', 'int'],
    ['departure_time', 'departureTime', 'int'],
    ['stop_headsign', 'stopHeadsign', 'text'],
    ['pickup_type', 'pickupType', 'int'],
    ['drop_off_type', 'dropOffType', 'int'],
    ['shape_dist_traveled', 'shapeDistTraveled', 'float8'],
    ['timepoint', 'timepoint', 'int'],
  ],
  transit_trips: [
    ['feed_id', 'feedId', 'uuid'],
    ['trip_id', 'tripId', 'text'],
    ['route_id', 'routeId', 'text'],
    ['service_id', 'serviceId', 'text'],
    ['headsign', 'headsign', 'text'],
    ['short_name', 'shortName', 'text'],
    ['direction_id', 'directionId', 'int'],
    ['block_id', 'blockId', 'text'],
    ['shape_id', 'shapeId', 'text'],
  ],
};

/**
 * Writes a batch. The big tables go as one array per column through unnest(): one statement with a
 * dozen parameters instead of tens of thousands, several times faster on PostgreSQL.
 */
async function flush<T extends AnyTable>(tx: Executor, table: T, rows: T['$inferInsert'][]): Promise<T['$inferInsert'][]> {
  if (rows.length === 0) return [];
  const name = getTableName(table);
  const cols = BULK[name];
  if (!cols) {
    await tx.insert(table).values(rows as never);
    return [];
  }
  const arrays = cols.map(([, prop, type]) => sql`${sql.param(rows.map((r) => (r as Record<string, unknown>)[prop] ?? null))}::${sql.raw(type)}[]`);
  await tx.execute(
    sql`INSERT INTO ${sql.identifier(name)} (${sql.raw(cols.map(([c]) => `"${c}"`).join(', '))}) SELECT * FROM unnest(${sql.join(arrays, sql`, `)})`,
  );
  return [];
}

async function insertAll<T extends AnyTable>(tx: Executor, table: T, rows: T['$inferInsert'][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await flush(tx, table, rows.slice(i, i + BATCH));
}
