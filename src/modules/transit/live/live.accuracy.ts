import { LiveEngine, type ArrivalEvent, type EngineOptions } from './live.engine.js';
import { loadGtfsZip } from './live.gtfs-zip.js';
import { readAvlCsv } from './live.avl.js';
import type { LiveNetwork, PositionInput } from './live.types.js';
import { sharedTransitData } from '../transit.testkit.js';

export const horizonBands = [
  { label: '0-3 min', from: 0, to: 180 },
  { label: '3-6 min', from: 180, to: 360 },
  { label: '6-10 min', from: 360, to: 600 },
  { label: '10-15 min', from: 600, to: 900 },
] as const;

export interface BandFigures {
  label: string;
  predictions: number;
  meanAbsoluteError: number;
  /** Share with |error| ≤ 60 s. */
  within60: number;
  /** Share inside the Cal-ITP band −60·ln(t+1.3) < actual − predicted < 60·ln(t+1.5) (t in minutes). */
  withinCalItp: number;
  /** Mean of predicted − actual (positive: predicted too late). */
  bias: number;
}

export interface AccuracyReport {
  /** Per trace, with its scored predictions (0–15 min) and their mean absolute error. */
  traces: { file: string; positions: number; matched: number; stopsReached: number; predictions: number; meanAbsoluteError: number }[];
  bands: BandFigures[];
  overall: BandFigures;
  /** The same traces each replayed alone, in a fresh engine (nothing learned from an earlier one). */
  alone?: { overall: BandFigures; traces: AccuracyReport['traces'] };
}

/**
 * Replays recorded traces through the engine with the replay clock (each position's time is "now"), keeps every
 * prediction made for each coming stop, and scores it against the time the same bus's later positions show it
 * reached that stop. Traces are replayed in time order of their first position through one engine, so a later day
 * is predicted with the travel times learned on the earlier ones (and only those: the engine learns from positions
 * as it ingests them), as it would live. With `alone`, each trace gets a fresh engine instead.
 */
export function measureAccuracy(
  traces: { file: string; gtfs: string; agencyCode?: string; timeZone?: string }[],
  options: Partial<EngineOptions> = {},
  alone = false,
): AccuracyReport {
  const networks = new Map<string, LiveNetwork>();
  let engine = new LiveEngine(options);
  const loaded = traces.map((t) => {
    const agencyCode = t.agencyCode ?? `wmata-${t.gtfs}`;
    let net = networks.get(t.gtfs);
    if (!net) networks.set(t.gtfs, (net = loadGtfsZip(t.gtfs, agencyCode)));
    engine.setNetwork(net);
    return { ...t, agencyCode: net.agencyCode, positions: readAvlCsv(t.file, t.timeZone ?? net.timezone) };
  });
  loaded.sort((a, b) => (a.positions[0]?.timestamp ?? 0) - (b.positions[0]?.timestamp ?? 0));
  type Prediction = { made: number; predicted: number; trace: number };
  const predictions = new Map<string, Prediction[]>();
  const actual = new Map<string, number>();
  const onArrival = (e: ArrivalEvent) => {
    const key = `${e.agencyCode}|${e.vehicleId}|${e.tripId}|${e.date}|${e.stopSequence}`;
    if (!actual.has(key)) actual.set(key, e.time);
  };
  engine.onArrival(onArrival);
  const report: AccuracyReport['traces'] = [];
  for (const [trace, t] of loaded.entries()) {
    if (alone && trace > 0) {
      engine = new LiveEngine(options);
      engine.onArrival(onArrival);
      for (const net of networks.values()) engine.setNetwork(net);
    }
    let matched = 0;
    const before = actual.size;
    for (const p of t.positions) {
      engine.ingest(t.agencyCode, [p as PositionInput]);
      const v = engine.liveVehicles(p.timestamp, t.agencyCode).find((x) => x.vehicleId === p.vehicleId);
      if (!v?.tripId) continue;
      matched++;
      for (const u of v.stopTimeUpdates) {
        const key = `${t.agencyCode}|${v.vehicleId}|${v.tripId}|${v.startDate}|${u.stopSequence}`;
        const list = predictions.get(key) ?? [];
        list.push({ made: p.timestamp, predicted: u.arrival, trace });
        predictions.set(key, list);
      }
    }
    report.push({ file: t.file, positions: t.positions.length, matched, stopsReached: actual.size - before, predictions: 0, meanAbsoluteError: 0 });
  }
  const errors: { horizon: number; error: number; trace: number }[] = [];
  for (const [key, list] of predictions) {
    const at = actual.get(key);
    if (at === undefined) continue;
    for (const p of list) {
      const horizon = at - p.made;
      if (horizon < 0) continue;
      errors.push({ horizon, error: p.predicted - at, trace: p.trace });
    }
  }
  for (const [i, r] of report.entries()) {
    const xs = errors.filter((e) => e.trace === i && e.horizon < 900);
    r.predictions = xs.length;
    r.meanAbsoluteError = Math.round(xs.reduce((s, e) => s + Math.abs(e.error), 0) / (xs.length || 1));
  }
  const figures = (label: string, from: number, to: number): BandFigures => {
    const xs = errors.filter((e) => e.horizon >= from && e.horizon < to);
    const n = xs.length || 1;
    const calItp = (e: { horizon: number; error: number }) => {
      const t = e.horizon / 60;
      const diff = -e.error; // actual − predicted
      return diff > -60 * Math.log(t + 1.3) && diff < 60 * Math.log(t + 1.5);
    };
    return {
      label,
      predictions: xs.length,
      meanAbsoluteError: Math.round(xs.reduce((s, e) => s + Math.abs(e.error), 0) / n),
      within60: Math.round((100 * xs.filter((e) => Math.abs(e.error) <= 60).length) / n),
      withinCalItp: Math.round((100 * xs.filter(calItp).length) / n),
      bias: Math.round(xs.reduce((s, e) => s + e.error, 0) / n),
    };
  };
  return { traces: report, bands: horizonBands.map((b) => figures(b.label, b.from, b.to)), overall: figures('0-15 min', 0, 900) };
}

export function formatAccuracy(r: AccuracyReport): string {
  const lines = [
    'trace (in time order) | positions | matched | stops reached | predictions 0-15 min | MAE (s)' + (r.alone ? ' | MAE alone (s)' : ''),
    ...r.traces.map(
      (t, i) =>
        `${t.file.split('/').pop()} | ${t.positions} | ${t.matched} | ${t.stopsReached} | ${t.predictions} | ${t.meanAbsoluteError}` +
        (r.alone ? ` | ${r.alone.traces[i]!.meanAbsoluteError}` : ''),
    ),
    '',
  ];
  lines.push('horizon | predictions | MAE (s) | |err|<=60 s | Cal-ITP band | bias (s)');
  for (const b of [...r.bands, r.overall])
    lines.push(`${b.label} | ${b.predictions} | ${b.meanAbsoluteError} | ${b.within60} % | ${b.withinCalItp} % | ${b.bias}`);
  if (r.alone)
    lines.push(
      '',
      `Each trace alone (a fresh engine, nothing learned from an earlier day): ${r.alone.overall.predictions} predictions, MAE ${r.alone.overall.meanAbsoluteError} s, ` +
        `${r.alone.overall.within60} % within 60 s, ${r.alone.overall.withinCalItp} % in the Cal-ITP band.`,
    );
  return lines.join('\n');
}

/** The WMATA traces of ../shared/data/transit/wmata-transitclock-avl with their GTFS subsets (SOURCE.txt). */
export function measureWmataAccuracy(
  dir = process.env.TRANSIT_AVL_DIR || sharedTransitData('wmata-transitclock-avl'),
  options: Partial<EngineOptions> = {},
): AccuracyReport {
  const traces = [
    { file: `${dir}/avl/AvlReports_4-22-16_8087.csv`, gtfs: `${dir}/gtfs-5A.zip`, agencyCode: 'wmata-5a' },
    { file: `${dir}/avl/5A_8062.csv`, gtfs: `${dir}/gtfs-5A.zip`, agencyCode: 'wmata-5a' },
    { file: `${dir}/avl/3T_3757.csv`, gtfs: `${dir}/gtfs-3T.zip`, agencyCode: 'wmata-3t' },
  ];
  const alone = measureAccuracy(traces, options, true);
  return { ...measureAccuracy(traces, options), alone: { overall: alone.overall, traces: alone.traces } };
}
