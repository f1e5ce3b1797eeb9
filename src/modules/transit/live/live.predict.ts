import type { LiveTrip, StopTimeUpdate } from './live.types.js';

/**
 * Arrival predictions of one bus at its coming stops, and the travel times they are made from: learned on
 * every 400-m piece ("bin") of each shape from the buses that drove it, as the engine ingests their positions
 * (so only from what was known before the prediction).
 *
 * Each bin keeps two things:
 * - by service-day hour, its travel time, weighted 60 % to the last bus (today's traffic), used as is for a bus
 *   predicted at the same hour ±1 ("from the buses ahead");
 * - over every hour and day, its travel time ÷ the timetable's (the trip that drove it), weighted 30 % to the
 *   latest: how the real running compares with the timetable there. The timetable gives times only at stops
 *   and so a constant speed between two; the ratio learns where a segment is fast (a motorway) and where slow
 *   (ramps, the approach to a bay), and where the timetable is padded (the last stretch before a terminal). It
 *   applies to any trip on the shape at any hour. Standing at stops counts in it up to 30 s a bin (boarding: the
 *   timetable's times include it and a prediction adds none of its own); longer standing is a hold, left out (holds
 *   differ from day to day). A bus never learns from its own trip.
 *
 * The bins outlive a restart: the live service saves the changed ones every 5 minutes and at stop, and puts them back
 * at start (`takeChanged`, `restore`; live.learned.ts).
 */

interface BinStats {
  /** Exponentially weighted travel time of the bin per service-day hour, and its sample count. */
  byHour: Map<number, { seconds: number; n: number }>;
  /** Exponentially weighted observed ÷ scheduled time of the bin, over all hours, of every run but the latest. */
  ratio: number;
  ratioN: number;
  /** The latest run's ratio: kept apart so that a bus is never predicted from its own trip (trip, base). */
  lastTrip: LiveTrip | null;
  lastBase: number;
  lastRatio: number;
  /** Unix time of the newest crossing learned (saved with the bin). */
  learnedAt: number;
  /** As loaded from the saved state: the replay of stored positions at start skips crossings up to it (learned already). */
  restoredThrough: number;
}

/** A bin's learned state as saved and loaded (live.learned.ts); `byHour` as [hour, seconds, n]. */
export interface LearnedBin {
  shapeId: string;
  bin: number;
  byHour: [number, number, number][];
  ratio: number;
  ratioN: number;
  lastTrip: LiveTrip | null;
  lastBase: number;
  lastRatio: number;
  learnedAt: number;
}

/** The bin's ratio for a run (its own contribution left out), or -1 when none. */
function ratioFor(s: BinStats | undefined, trip: LiveTrip, base: number): number {
  if (!s) return -1;
  if (!s.lastTrip || (s.lastTrip === trip && s.lastBase === base)) return s.ratioN ? s.ratio : -1;
  return s.ratioN ? s.ratio * 0.7 + s.lastRatio * 0.3 : s.lastRatio;
}

export class TravelTimes {
  /** Per shape, per bin index. */
  private readonly shapes = new Map<string, (BinStats | undefined)[]>();
  /** Bins changed since the last `takeChanged()`, per shape. */
  private readonly changed = new Map<string, Set<number>>();
  /** While the stored positions are replayed at start: crossings a loaded bin has learned already are skipped. */
  replaying = false;

  /**
   * `keptStandingSeconds`: standing at stops in a bin up to this much is boarding, part of the running time the
   * ratio learns (the timetable's times include it, and predictions add none of their own); beyond it, a hold.
   */
  constructor(
    readonly binMetres: number,
    readonly keptStandingSeconds = 30,
  ) {}

  /**
   * A bus took `seconds` over a bin that its timetable gives `scheduled` seconds, at a service-day hour; `dwell` of
   * them standing at stops; `at`: unix time the bus left the bin.
   */
  learn(shapeId: string, bin: number, seconds: number, scheduled: number, hour: number, run: { trip: LiveTrip; base: number }, dwell = 0, at = 0): void {
    // Faster than 108 km/h or slower than an hour: a jump of the match or a bus out of service, not a travel time.
    if (seconds < this.binMetres / 30 || seconds > 3600) return;
    let list = this.shapes.get(shapeId);
    if (!list) this.shapes.set(shapeId, (list = []));
    let s = list[bin];
    if (!s) list[bin] = s = { byHour: new Map(), ratio: 0, ratioN: 0, lastTrip: null, lastBase: 0, lastRatio: 0, learnedAt: 0, restoredThrough: 0 };
    else if (this.replaying && at <= s.restoredThrough) return;
    if (at > s.learnedAt) s.learnedAt = at;
    this.markChanged(shapeId, bin);
    const h = s.byHour.get(hour);
    if (!h) s.byHour.set(hour, { seconds, n: 1 });
    else {
      // The last bus weighs most (it saw today's traffic), the history steadies it.
      h.seconds = h.seconds * 0.4 + seconds * 0.6;
      h.n++;
    }
    // A bin the timetable crosses in no time (the terminal's stand) says nothing about the profile.
    if (scheduled >= 2) {
      if (s.lastTrip && (s.lastTrip !== run.trip || s.lastBase !== run.base)) {
        s.ratio = s.ratioN ? s.ratio * 0.7 + s.lastRatio * 0.3 : s.lastRatio;
        s.ratioN++;
      }
      s.lastTrip = run.trip;
      s.lastBase = run.base;
      const hold = Math.max(0, dwell - this.keptStandingSeconds);
      s.lastRatio = Math.min(20, Math.max(seconds * 0.1, seconds - hold) / scheduled);
    }
  }

  /** The bins of a shape (undefined until a bus has crossed one). */
  of(shapeId: string): readonly (BinStats | undefined)[] | undefined {
    return this.shapes.get(shapeId);
  }

  markChanged(shapeId: string, bin: number): void {
    let set = this.changed.get(shapeId);
    if (!set) this.changed.set(shapeId, (set = new Set()));
    set.add(bin);
  }

  /** A copy of each bin changed since the last call (to be saved); they count as unchanged from now on. */
  takeChanged(): LearnedBin[] {
    const out: LearnedBin[] = [];
    for (const [shapeId, bins] of this.changed) {
      const list = this.shapes.get(shapeId);
      for (const bin of bins) {
        const s = list?.[bin];
        if (!s) continue;
        out.push({
          shapeId,
          bin,
          byHour: [...s.byHour].map(([hour, h]) => [hour, h.seconds, h.n]),
          ratio: s.ratio,
          ratioN: s.ratioN,
          lastTrip: s.lastTrip,
          lastBase: s.lastBase,
          lastRatio: s.lastRatio,
          learnedAt: s.learnedAt,
        });
      }
    }
    this.changed.clear();
    return out;
  }

  /**
   * Puts back a bin as saved. `tripGone`: its latest run was of a trip the current feed no longer has; that run then
   * joins the ratio (no bus can be on that trip, so none need be kept from its own time), as the next run would have
   * made it, and every trip is predicted from the bin as before.
   */
  restore(state: LearnedBin, tripGone = false): void {
    let list = this.shapes.get(state.shapeId);
    if (!list) this.shapes.set(state.shapeId, (list = []));
    const s: BinStats = {
      byHour: new Map(state.byHour.map(([hour, seconds, n]) => [hour, { seconds, n }])),
      ratio: state.ratio,
      ratioN: state.ratioN,
      lastTrip: state.lastTrip,
      lastBase: state.lastBase,
      lastRatio: state.lastRatio,
      learnedAt: state.learnedAt,
      restoredThrough: state.learnedAt,
    };
    if (tripGone) {
      s.ratio = s.ratioN ? s.ratio * 0.7 + s.lastRatio * 0.3 : s.lastRatio;
      s.ratioN++;
      s.lastTrip = null;
    }
    list[state.bin] = s;
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
 * How a bus runs today against the model, where its stops are close together (at most `closeStopsMetres` apart:
 * there the timetable, or what was learned, times each stretch closely enough to compare with). Kept per bus and
 * trip as a weighted mean of log(observed ÷ predicted) over the bins it crossed (30 % to the latest), shrunk
 * towards 1 while there are few (as if 2 bins had run at the model's pace). Far-apart stops teach it nothing: a
 * constant speed from a timetable between stops 10 km apart says little about any one bin of a motorway.
 */
export class Pace {
  static readonly closeStopsMetres = 1200;
  /** Its effect on the travel time ahead halves about every 3.5 minutes (today's pace is today's, for a while). */
  static readonly fadeSeconds = 300;
  private logRatio = 0;
  private bins = 0;

  reset(): void {
    this.logRatio = 0;
    this.bins = 0;
  }

  /** A bin crossed in `seconds` that the model gives `predicted` seconds. */
  observe(seconds: number, predicted: number): void {
    if (predicted < 5 || seconds <= 0) return;
    const r = Math.max(-0.7, Math.min(0.7, Math.log(seconds / predicted)));
    this.logRatio = this.bins ? this.logRatio * 0.7 + r * 0.3 : r;
    this.bins++;
  }

  /** Observed ÷ predicted running time so far (1: as the model says). */
  factor(): number {
    return Math.exp((this.logRatio * this.bins) / (this.bins + 2));
  }

  /** Whether a bin lies between stops close enough together for the pace to be measured there. */
  static measurable(trip: LiveTrip, bin: number, binMetres: number): boolean {
    const sts = trip.stopTimes;
    const i = firstStopAfter(sts, (bin + 0.5) * binMetres);
    return i > 0 && i < sts.length && sts[i]!.dist - sts[i - 1]!.dist <= Pace.closeStopsMetres;
  }
}

/**
 * Arrival and departure at each coming stop of a bus at `now` (unix s); `hour` is the service-day hour of `now`.
 * Travel time to each stop: per bin, the time observed at this hour, else the timetable's × the learned ratio,
 * else the timetable's. A bus waiting at its first stop leaves at the scheduled departure; timepoints hold
 * departures. `onRouteAt`: the last fix on the shape, for a bus now off it (detour, tunnel). `pace`: how the bus
 * runs against that (`Pace.factor()`), applied in full to the time just ahead and fading beyond. `lastStop`: the
 * stop of this run the bus reached last (index in the trip) and when; on a long stretch the timetable alone times,
 * its next stop is predicted partly from there (`fromLastStop`).
 */
export function predictStops(
  times: TravelTimes,
  m: PredictionInput,
  now: number,
  hour: number,
  o: PredictionOptions,
  onRouteAt = now,
  pace = 1,
  lastStop: { index: number; time: number } | null = null,
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
      const model = segmentTime(bins, b, m, prev.dist, st.dist, Math.max(dist, prev.dist), Math.max(0, st.arrival - prev.departure), hour);
      clock += pace === 1 ? model : model * (1 + (pace - 1) * Math.exp(-Math.max(0, clock - now) / Pace.fadeSeconds));
      if (
        i === start &&
        !m.layover &&
        lastStop?.index === i - 1 &&
        st.dist - prev.dist > Pace.closeStopsMetres &&
        !learnedAhead(bins, b, m, dist, st.dist, hour)
      ) {
        const covered = Math.min(1, Math.max(0, (dist - prev.dist) / (st.dist - prev.dist)));
        // The first stop's time is when the bus left it; at the others the timetable's dwell follows the arrival.
        const dwell = lastStop.index > 0 ? prev.departure - prev.arrival : 0;
        // No faster than twice the model over the rest of the stretch (a bus standing at the last stop makes up only so much).
        clock = fromLastStop(clock, lastStop.time + dwell + Math.max(0, st.arrival - prev.departure), covered, onRouteAt + (clock - onRouteAt) / 2);
      }
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
 * The arrival at the next stop of a bus on a long stretch (stops farther apart than `Pace.closeStopsMetres`) that
 * no bus has taught the model ahead of it: the timetable gives times only at the two stops and a constant speed
 * between, while buses are slow in the streets and bays at either end and fast between (a motorway). How early or
 * late the bus looks mid-stretch is then partly that fiction, and its timing at the last stop (`fromStop`: the
 * timetable's time for the stretch from when it got there) says as much. The two are weighed by the share of the
 * stretch `covered`: at its start the last stop counts in full, near the next stop the position does. The last
 * stop's part never before `notBefore`: the bus cannot make up any amount of time (it stood at a stop, say, or in a
 * jam), not more than running the rest of the stretch at twice the model's speed (as the matcher assumes).
 */
export function fromLastStop(fromPosition: number, fromStop: number, covered: number, notBefore: number): number {
  return covered * fromPosition + (1 - covered) * Math.max(fromStop, notBefore);
}

/** Whether any bin between `from` and `to` has a time learned from another run (the model then knows the stretch). */
function learnedAhead(
  bins: readonly (BinStats | undefined)[] | undefined,
  b: number,
  run: { trip: LiveTrip; base: number },
  from: number,
  to: number,
  hour: number,
): boolean {
  if (!bins) return false;
  for (let k = Math.floor(from / b); k * b < to; k++) if (ratioFor(bins[k], run.trip, run.base) >= 0 || atHour(bins[k], hour) !== null) return true;
  return false;
}

/**
 * Seconds from `from` to the end `to` of the segment [`segFrom`, `to`] between two stops that the timetable gives
 * `total` seconds (at a constant speed). Each piece of a bin ahead takes its time observed at this hour if there
 * is one, else the timetable's time × the bin's learned ratio; bins never observed take the mean ratio of the
 * segment's observed bins (1 when none is: the timetable).
 */
function segmentTime(
  bins: readonly (BinStats | undefined)[] | undefined,
  b: number,
  run: { trip: LiveTrip; base: number },
  segFrom: number,
  to: number,
  from: number,
  total: number,
  hour: number,
): number {
  if (to <= from || to <= segFrom) return 0;
  const perMetre = total / (to - segFrom);
  if (!bins) return perMetre * (to - from);
  let known = 0;
  let knownMetres = 0;
  let aheadKnown = 0;
  let aheadUnknown = 0;
  let seen = 0;
  let d = segFrom;
  while (d < to) {
    const bin = Math.floor(d / b);
    const end = Math.min(to, (bin + 1) * b);
    const stats = bins[bin];
    const ratio = ratioFor(stats, run.trip, run.base);
    if (ratio >= 0) {
      known += ratio * (end - d);
      knownMetres += end - d;
    }
    if (end > from) {
      const metres = end - Math.max(d, from);
      const atThisHour = atHour(stats, hour);
      if (atThisHour !== null) seen += (atThisHour * metres) / b;
      else if (ratio >= 0) aheadKnown += ratio * metres;
      else aheadUnknown += metres;
    }
    d = end;
  }
  return seen + perMetre * (aheadKnown + (knownMetres > 0 ? known / knownMetres : 1) * aheadUnknown);
}

/**
 * Seconds the model (what `predictStops` uses) gives a run from `from` to `to` metres along its trip, stops' own
 * dwell (departure − arrival) left out.
 */
export function modelTime(times: TravelTimes, run: { trip: LiveTrip; base: number }, from: number, to: number, hour: number): number {
  const sts = run.trip.stopTimes;
  const bins = times.of(run.trip.shapeId);
  let total = 0;
  for (let i = Math.max(1, firstStopAfter(sts, from)); i < sts.length; i++) {
    const prev = sts[i - 1]!;
    const st = sts[i]!;
    if (prev.dist >= to) break;
    const span = Math.max(0, st.arrival - prev.departure);
    const rest = (d: number) => segmentTime(bins, times.binMetres, run, prev.dist, st.dist, Math.max(d, prev.dist), span, hour);
    total += rest(from) - (to < st.dist ? rest(to) : 0);
  }
  return total;
}

export function firstStopAfter(sts: readonly { dist: number }[], dist: number): number {
  let a = 0;
  let b = sts.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (sts[m]!.dist <= dist) a = m + 1;
    else b = m;
  }
  return a;
}
