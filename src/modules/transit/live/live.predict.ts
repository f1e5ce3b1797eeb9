import type { LiveTrip, StopTimeUpdate } from './live.types.js';

/**
 * Arrival predictions of one bus at its coming stops, and the travel times they are made from: learned on
 * every 400-m piece ("bin") of each shape from the buses that drove it, as the engine ingests their positions.
 *
 * Each bin keeps two things:
 * - by service-day hour, its travel time, weighted 60 % to the last bus (today's traffic) — used as is, in
 *   seconds, for a bus predicted at the same hour ±1;
 * - over every hour and day, its travel time as a share of the timetable's (observed ÷ scheduled) — the shape
 *   of the speed profile between two stops: where the road is fast (a motorway) and where it is slow (the
 *   ramps and bays before a stop). The timetable gives only times at stops, so between two stops it implies a
 *   constant speed; the profile spreads the timetable's time between two stops over the bins the way buses
 *   have really used it. It changes where in a segment the time is spent, not the segment's time.
 */

interface BinStats {
  /** Exponentially weighted travel time of the bin per service-day hour, and its sample count. */
  byHour: Map<number, { seconds: number; n: number }>;
  /** Exponentially weighted observed ÷ scheduled time of the bin, over all hours (0 until observed). */
  ratio: number;
  ratioN: number;
}

export class TravelTimes {
  /** Per shape, per bin index. */
  private readonly shapes = new Map<string, (BinStats | undefined)[]>();

  constructor(readonly binMetres: number) {}

  /** A bus took `seconds` over a bin that its timetable gives `scheduled` seconds, at a service-day hour. */
  learn(shapeId: string, bin: number, seconds: number, scheduled: number, hour: number, dwell = 0): void {
    if (seconds <= 0 || seconds > 3600) return;
    let list = this.shapes.get(shapeId);
    if (!list) this.shapes.set(shapeId, (list = []));
    let s = list[bin];
    if (!s) list[bin] = s = { byHour: new Map(), ratio: 0, ratioN: 0 };
    const h = s.byHour.get(hour);
    if (!h) s.byHour.set(hour, { seconds, n: 1 });
    else {
      // The last bus weighs most (it saw today's traffic), the history steadies it.
      h.seconds = h.seconds * 0.4 + seconds * 0.6;
      h.n++;
    }
    // A bin the timetable crosses in no time (the terminal's stand) says nothing about the profile.
    if (scheduled >= 2) {
      const r = Math.min(20, Math.max(seconds * 0.1, seconds - dwell) / scheduled);
      s.ratio = s.ratioN ? s.ratio * 0.7 + r * 0.3 : r;
      s.ratioN++;
    }
  }

  /** The bins of a shape (undefined until a bus has crossed one). */
  of(shapeId: string): readonly (BinStats | undefined)[] | undefined {
    return this.shapes.get(shapeId);
  }
}

/** Seconds of a bin at an hour (±1), or null. */
function atHour(s: BinStats | undefined, hour: number): number | null {
  if (!s) return null;
  const h = s.byHour.get(hour) ?? s.byHour.get(hour - 1) ?? s.byHour.get(hour + 1);
  return h ? h.seconds : null;
}

/** Where a bus is on its trip, as the matcher found it. */
export interface PredictionInput {
  trip: LiveTrip;
  /** Unix time the trip's stop times count from (the service day's start, or a headway instance's start). */
  base: number;
  /** Metres along the shape. */
  dist: number;
  /** Waiting at the first stop before departure. */
  layover: boolean;
  headway: boolean;
}

export interface PredictionOptions {
  /** Predictions reach this far ahead. */
  horizonSeconds: number;
  /** Time a bus spends at an intermediate stop when the timetable gives none. */
  dwellSeconds: number;
}

/**
 * Arrival and departure at each coming stop of a bus at `now` (unix s); `hour` is the service-day hour of `now`.
 * Travel time to each stop: the timetable's between consecutive stops, spread over the segment's bins by the
 * learned profile (so a bus half-way through a segment is predicted from how long its rest really takes),
 * replaced on every bin with a travel time observed at this hour. Timepoints hold departures.
 */
export function predictStops(
  times: TravelTimes,
  m: PredictionInput,
  now: number,
  hour: number,
  o: PredictionOptions,
  onRouteAt = now,
): { updates: StopTimeUpdate[]; scheduled: number[] } {
  const sts = m.trip.stopTimes;
  const updates: StopTimeUpdate[] = [];
  const scheduled: number[] = [];
  const bins = times.of(m.trip.shapeId);
  const b = times.binMetres;
  // A bus waiting at the first stop leaves at the scheduled departure (or now, when that is past).
  // Off its shape (a detour, a tunnel), the bus is taken to keep the pace it had when last on it.
  let clock = onRouteAt;
  let dist = m.dist;
  if (m.layover) {
    clock = m.headway ? now : Math.max(now, m.base + sts[0]!.departure);
    dist = sts[0]!.dist;
  }
  const start = m.layover ? 0 : firstStopAfter(sts, m.dist);
  for (let i = start; i < sts.length; i++) {
    const st = sts[i]!;
    if (i > 0) {
      const prev = sts[i - 1]!;
      clock += segmentTime(bins, b, prev.dist, st.dist, Math.max(dist, prev.dist), Math.max(0, st.arrival - prev.departure), hour);
    }
    const arrival = Math.round(Math.max(now, clock));
    // The bus leaves no earlier than it arrives and, at a timepoint, no earlier than the timetable says.
    let departure = Math.max(arrival, Math.round(arrival + Math.max(st.departure - st.arrival, i > 0 && i < sts.length - 1 ? o.dwellSeconds : 0)));
    if (st.timepoint && !m.headway && i > 0 && st.departure - st.arrival > 0) departure = Math.max(departure, m.base + st.departure);
    if (arrival - now > o.horizonSeconds) break;
    updates.push({ stopId: st.stopId, stopSequence: st.stopSequence, arrival, departure });
    scheduled.push(m.base + st.arrival);
    clock = departure;
  }
  return { updates, scheduled };
}

/**
 * Seconds from `from` to the end `to` of the segment [`segFrom`, `to`] between two stops that the timetable gives
 * `total` seconds. The timetable runs at a constant speed between two stops; here each piece of a bin gets the
 * segment's time in proportion to its length × the bin's learned ratio (bins never observed take the segment's
 * mean ratio), except that a piece observed at this hour takes its observed time.
 */
function segmentTime(
  bins: readonly (BinStats | undefined)[] | undefined,
  b: number,
  segFrom: number,
  to: number,
  from: number,
  total: number,
  hour: number,
): number {
  if (to <= from || to <= segFrom) return 0;
  if (!bins) return (total * (to - from)) / (to - segFrom);
  // Weights in metres × ratio: of the whole segment, of its part ahead, and of the part ahead observed this hour.
  let known = 0;
  let knownMetres = 0;
  let ahead = 0;
  let aheadUnknown = 0;
  let seenWeight = 0;
  let seenUnknown = 0;
  let seenSeconds = 0;
  let d = segFrom;
  while (d < to) {
    const bin = Math.floor(d / b);
    const end = Math.min(to, (bin + 1) * b);
    const stats = bins[bin];
    const ratio = stats && stats.ratioN ? stats.ratio : -1;
    if (ratio >= 0) {
      known += ratio * (end - d);
      knownMetres += end - d;
    }
    if (end > from) {
      const metres = end - Math.max(d, from);
      const seen = atHour(stats, hour);
      if (seen !== null) seenSeconds += (seen * metres) / b;
      if (ratio >= 0) {
        ahead += ratio * metres;
        if (seen !== null) seenWeight += ratio * metres;
      } else {
        aheadUnknown += metres;
        if (seen !== null) seenUnknown += metres;
      }
    }
    d = end;
  }
  const meanRatio = knownMetres > 0 ? known / knownMetres : 1;
  const weight = known + meanRatio * (to - segFrom - knownMetres);
  const share = weight > 0 ? (ahead + meanRatio * aheadUnknown - seenWeight - meanRatio * seenUnknown) / weight : (to - from) / (to - segFrom);
  return seenSeconds + total * share;
}

export function firstStopAfter(sts: readonly { dist: number }[], dist: number): number {
  let i = 0;
  while (i < sts.length && sts[i]!.dist <= dist) i++;
  return i;
}
