import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { parse } from 'csv-parse/sync';
import { buildNetwork, type RawFeed } from './live.network.js';
import { parseGtfsTime as parseTime } from '../transit.time.js';

/** Seconds after the service day's start, NaN when missing or malformed (filled in by interpolation). */
const parseGtfsTime = (value: string): number => parseTime(value) ?? Number.NaN;
import type { LiveFrequency, LiveNetwork } from './live.types.js';

type Row = Record<string, string>;

function table(files: Record<string, Uint8Array>, name: string): Row[] {
  const entry = Object.keys(files).find((k) => k === name || k.endsWith(`/${name}`));
  if (!entry) return [];
  return parse(strFromU8(files[entry]!), {
    columns: (h: string[]) => h.map((c) => c.trim()),
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  }) as Row[];
}

/**
 * Reads a GTFS zip straight into the live network, for tools that run without a database (the accuracy replay,
 * the bench). The application itself reads the feed the transit module imported.
 */
export function loadGtfsZip(path: string, agencyCode: string): LiveNetwork {
  const files = unzipSync(new Uint8Array(readFileSync(path)));
  const agency = table(files, 'agency.txt')[0];
  const stopTimes = new Map<string, { stopId: string; stopSequence: number; arrival: number; departure: number; timepoint: boolean }[]>();
  for (const r of table(files, 'stop_times.txt')) {
    const arrival = parseGtfsTime(r.arrival_time ?? '');
    const departure = parseGtfsTime(r.departure_time ?? '');
    const a = Number.isNaN(arrival) ? departure : arrival;
    const d = Number.isNaN(departure) ? arrival : departure;
    const list = stopTimes.get(r.trip_id!) ?? [];
    list.push({ stopId: r.stop_id!, stopSequence: Number(r.stop_sequence), arrival: a, departure: d, timepoint: r.timepoint !== '0' });
    stopTimes.set(r.trip_id!, list);
  }
  for (const [id, list] of stopTimes) {
    list.sort((x, y) => x.stopSequence - y.stopSequence);
    interpolateMissing(list);
    if (list.some((c) => Number.isNaN(c.arrival))) stopTimes.delete(id);
  }
  const shapes = new Map<string, { lat: number; lon: number; seq: number }[]>();
  for (const r of table(files, 'shapes.txt')) {
    const list = shapes.get(r.shape_id!) ?? [];
    list.push({ lat: Number(r.shape_pt_lat), lon: Number(r.shape_pt_lon), seq: Number(r.shape_pt_sequence) });
    shapes.set(r.shape_id!, list);
  }
  for (const list of shapes.values()) list.sort((a, b) => a.seq - b.seq);
  const frequencies = new Map<string, LiveFrequency[]>();
  for (const r of table(files, 'frequencies.txt')) {
    const list = frequencies.get(r.trip_id!) ?? [];
    list.push({
      start: parseGtfsTime(r.start_time ?? ''),
      end: parseGtfsTime(r.end_time ?? ''),
      headway: Number(r.headway_secs),
      exactTimes: r.exact_times === '1',
    });
    frequencies.set(r.trip_id!, list);
  }
  const feed: RawFeed = {
    timezone: agency?.agency_timezone || 'Asia/Shanghai',
    stops: table(files, 'stops.txt')
      .filter((r) => !r.location_type || r.location_type === '0')
      .map((r) => ({ id: r.stop_id!, name: r.stop_name ?? '', lat: Number(r.stop_lat), lon: Number(r.stop_lon) })),
    trips: table(files, 'trips.txt').map((r) => ({
      id: r.trip_id!,
      routeId: r.route_id!,
      serviceId: r.service_id!,
      directionId: r.direction_id === '0' || r.direction_id === '1' ? Number(r.direction_id) : null,
      blockId: r.block_id || null,
      shapeId: r.shape_id || null,
      headsign: r.trip_headsign || null,
    })),
    stopTimes,
    shapes,
    frequencies,
    calendars: table(files, 'calendar.txt').map((r) => ({
      serviceId: r.service_id!,
      days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => r[d] === '1'),
      start: r.start_date!,
      end: r.end_date!,
    })),
    calendarDates: table(files, 'calendar_dates.txt').map((r) => ({ serviceId: r.service_id!, date: r.date!, added: r.exception_type === '1' })),
  };
  return buildNetwork(agencyCode, feed);
}

/** Stop times without times between two timed ones get times spread evenly (GTFS allows blanks off timepoints). */
function interpolateMissing(list: { arrival: number; departure: number }[]): void {
  let last = -1;
  for (let i = 0; i < list.length; i++) {
    if (Number.isNaN(list[i]!.arrival)) continue;
    if (last >= 0 && i - last > 1) {
      const from = list[last]!.departure;
      const to = list[i]!.arrival;
      for (let k = last + 1; k < i; k++) {
        const t = from + ((to - from) * (k - last)) / (i - last);
        list[k]!.arrival = t;
        list[k]!.departure = t;
      }
    }
    last = i;
  }
}
