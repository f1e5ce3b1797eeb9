/**
 * `npx tsx bench/transit.ts`: transit live at city scale. A synthetic Chengdu (15,500 buses on 1,171 routes, about
 * 12,000 stops) is built from the real shapes of the WMATA, Collins Coaches and USF Bull Runner feeds in ../shared/data/transit,
 * each route a real shape moved to its own place on a grid; every bus runs its own trip along its route at 6 m/s
 * with GPS noise. Measured, in this process against the real app on 127.0.0.1:
 *   1. the engine alone (match + predict), positions/s;
 *   2. HTTP batches (POST /api/v1/transit/positions, 1,000 positions per request, 4 in flight) as the demo operator,
 *      positions/s ingested, matched and predicted, and how many the batch store wrote to the database meanwhile;
 *   3. MQTT (Mosquitto on MQTT_URL, default mqtt://127.0.0.1:1883; 500 positions per message), positions/s;
 *   4. p99 from sending a position (HTTP request start, MQTT publish) to its server-sent event on the route's stream,
 *      for the buses of 20 routes watched by 20 SSE clients: under the saturating loads above (queueing included) and
 *      at the city's real rate (every bus every 10 s = 1,550 positions/s).
 * Beside each figure: positions per CPU-second of this process (all its threads, the bench's own client and SSE readers
 * included), which other load on the machine does not change; and how far the position store got (rows/s written,
 * still pending, dropped under overload), then how long the backlog left at the end takes to write.
 * Environment: BENCH_TRANSIT_SECONDS (per phase, default 6), BENCH_VEHICLES (default 15500), DATABASE_URL (PostgreSQL
 * instead of PGlite), MQTT_URL. Stops by itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { loadConfig } from '../src/config.js';
import { buildApp, modules } from '../src/app.js';
import { closeContext, createContext } from '../src/platform/bootstrap.js';
import { LiveEngine } from '../src/modules/transit/live/live.engine.js';
import { liveOf } from '../src/modules/transit/live/live.service.js';
import { loadGtfsZip } from '../src/modules/transit/live/live.gtfs-zip.js';
import { buildNetwork, type RawFeed } from '../src/modules/transit/live/live.network.js';
import { positionsTopic } from '../src/modules/transit/live/live.mqtt.js';
import { sharedTransitData } from '../src/modules/transit/transit.testkit.js';
import type { LiveNetwork, PositionInput } from '../src/modules/transit/live/live.types.js';

const phaseSeconds = Number(process.env.BENCH_TRANSIT_SECONDS ?? 6);
const vehicles = Number(process.env.BENCH_VEHICLES ?? 15_500);
const routes = 1171;
const mqttUrl = process.env.MQTT_URL || 'mqtt://127.0.0.1:1883';
const agency = 'bus-group';
const speed = 6;
const timeZone = 'Asia/Shanghai';

/** The synthetic city: real shapes on a grid of 1,171 places around Chengdu, one trip per bus. */
function syntheticCity(t0: number): {
  net: LiveNetwork;
  route: (i: number) => number;
  startOf: (i: number) => number;
  lengthOf: (i: number) => number;
  pointOf: (i: number, t: number) => { lat: number; lon: number };
} {
  const shapes = [
    'wmata-transitclock-avl/gtfs-5A.zip',
    'wmata-transitclock-avl/gtfs-3T.zip',
    'collins-coaches-ie/collins.zip',
    'usf-bullrunner/bullrunner-gtfs.zip',
  ]
    .flatMap((f) => [...loadGtfsZip(sharedTransitData(f), 'real').shapes.values()])
    .filter((s) => s.length > 3000);
  const base = { lat: 30.66, lon: 104.06 };
  const k = 111_320 * Math.cos((base.lat * Math.PI) / 180);
  const feed: RawFeed = {
    timezone: timeZone,
    stops: [],
    trips: [],
    stopTimes: new Map(),
    shapes: new Map(),
    frequencies: new Map(),
    calendars: [],
    calendarDates: [],
  };
  feed.calendars.push({ serviceId: 'all', days: [true, true, true, true, true, true, true], start: '20000101', end: '20991231' });
  const routePoints: { lat: number; lon: number }[][] = [];
  const routeLength: number[] = [];
  for (let r = 0; r < routes; r++) {
    const s = shapes[r % shapes.length]!;
    // Each route its own place: a 35 × 34 grid with 1.5 km between places (shapes overlap like real streets do).
    const ox = ((r % 35) - 17) * 1500;
    const oy = (Math.floor(r / 35) - 17) * 1500;
    const pts: { lat: number; lon: number }[] = [];
    for (let i = 0; i < s.xs.length; i++) pts.push({ lat: base.lat + (s.ys[i]! + oy) / 111_320, lon: base.lon + (s.xs[i]! + ox) / k });
    routePoints.push(pts);
    routeLength.push(s.length);
    feed.shapes.set(`S${r}`, pts);
    // About ten stops per route (12,000 in all), evenly along the shape.
    const n = 10;
    for (let j = 0; j < n; j++) {
      const d = (s.length * j) / (n - 1);
      const p = pointAlong(pts, s.dists, d);
      feed.stops.push({ id: `R${r}S${j}`, name: `Stop ${r}-${j}`, lat: p.lat, lon: p.lon });
    }
  }
  const day0 = Math.floor((t0 + 8 * 3600) / 86400) * 86400 - 8 * 3600;
  const startOf = (i: number) => t0 - 600 - (i % 97) * 20;
  for (let i = 0; i < vehicles; i++) {
    const r = i % routes;
    const start = startOf(i) - day0;
    const dur = routeLength[r]! / speed;
    feed.trips.push({ id: `T${i}`, routeId: `R${r}`, serviceId: 'all', directionId: 0, blockId: `B${i}`, shapeId: `S${r}`, headsign: null });
    feed.stopTimes.set(
      `T${i}`,
      Array.from({ length: 10 }, (_, j) => ({
        stopId: `R${r}S${j}`,
        stopSequence: j + 1,
        arrival: Math.round(start + (dur * j) / 9),
        departure: Math.round(start + (dur * j) / 9),
        timepoint: true,
      })),
    );
  }
  const net = buildNetwork(agency, feed);
  const dists = (r: number) => shapes[r % shapes.length]!.dists;
  return {
    net,
    route: (i) => i % routes,
    startOf,
    lengthOf: (i) => routeLength[i % routes]!,
    pointOf: (i, t) => {
      const r = i % routes;
      const d = Math.min(routeLength[r]! - 1, Math.max(0, (t - startOf(i)) * speed));
      const p = pointAlong(routePoints[r]!, dists(r), d);
      // GPS noise of about ±10 m.
      return { lat: p.lat + (Math.random() - 0.5) * 0.00018, lon: p.lon + (Math.random() - 0.5) * 0.0002 };
    },
  };
}

function pointAlong(pts: { lat: number; lon: number }[], dists: Float64Array, d: number): { lat: number; lon: number } {
  let a = 0;
  let b = pts.length - 1;
  if (d <= 0) return pts[0]!;
  if (d >= dists[b]!) return pts[b]!;
  while (b - a > 1) {
    const m = (a + b) >> 1;
    if (dists[m]! <= d) a = m;
    else b = m;
  }
  const f = (d - dists[a]!) / (dists[b]! - dists[a]! || 1);
  return { lat: pts[a]!.lat + f * (pts[b]!.lat - pts[a]!.lat), lon: pts[a]!.lon + f * (pts[b]!.lon - pts[a]!.lon) };
}

/** CPU seconds this process used since `from` (all its threads: the figures per CPU-second are conservative). */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};

const p99 = (xs: number[]) => {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]!;
};

async function main() {
  const t0 = Math.floor(Date.now() / 1000);
  const builtAt = performance.now();
  const city = syntheticCity(t0);
  console.log(
    `Load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} cores (figures scale with the share of CPU this process gets)`,
  );
  console.log(`Synthetic city: ${vehicles} buses, ${routes} routes, ${city.net.stops.size} stops (built in ${Math.round(performance.now() - builtAt)} ms)\n`);
  // Each round gives every bus one position, 10 s after the last.
  let round = 0;
  const nextRound = (): PositionInput[] => {
    const t = t0 + 10 * ++round;
    const out: PositionInput[] = new Array(vehicles);
    for (let i = 0; i < vehicles; i++) out[i] = { vehicleId: `V${i}`, timestamp: t, ...city.pointOf(i, t), blockId: `B${i}` };
    return out;
  };
  const rows: string[][] = [];

  // 1. The engine alone.
  {
    const engine = new LiveEngine();
    engine.setNetwork(city.net);
    // The first position of each bus searches its whole shape; the steady state is measured after it.
    engine.ingest(agency, nextRound());
    let n = 0;
    let cpu = 0;
    const start = performance.now();
    while (performance.now() - start < phaseSeconds * 1000) {
      const batch = nextRound();
      const cpu0 = process.cpuUsage();
      engine.ingest(agency, batch);
      cpu += cpuSince(cpu0);
      n += batch.length;
    }
    const secs = (performance.now() - start) / 1000;
    const matched = engine.liveVehicles(t0 + 10 * round).filter((v) => v.tripId).length;
    rows.push([
      'engine alone (match + predict)',
      String(Math.round(n / secs)),
      '',
      `${Math.round((100 * matched) / vehicles)} % matched; ${Math.round(n / cpu)} per CPU-second of ingest`,
    ]);
  }

  if (process.env.BENCH_ONLY_ENGINE) {
    console.log(rows.map((r) => r.join(' | ')).join('\n'));
    return;
  }
  // The app, as the demo operator.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'servicehall-bench-transit-'));
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    MQTT_URL: mqttUrl,
    SIGN_IN_LIMIT: '10000',
  });
  const ctx = await createContext(config);
  for (const m of modules) await m.seed?.(ctx);
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const rt = liveOf(ctx);
  rt.setNetwork(city.net);
  round = 0;
  const session = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: `${agency}.operator`, password: config.demoPassword }),
  });
  const { token } = (await session.json()) as { token: string };

  // SSE clients on 20 routes; sent[vehicle|timestamp] = when the position left the client.
  const sent = new Map<string, number>();
  let latencies: number[] = [];
  const watched = new Set<string>();
  const controllers: AbortController[] = [];
  for (let r = 0; r < 20; r++) {
    const routeId = `R${r * 50}`;
    watched.add(routeId);
    const controller = new AbortController();
    controllers.push(controller);
    const res = await fetch(`${base}/api/v1/transit/routes/${routeId}/vehicles/events`, { signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!chunk.startsWith('event: vehicle')) continue;
          const data = JSON.parse(chunk.slice(chunk.indexOf('data: ') + 6)) as { vehicleId: string; timestamp: number };
          const at = sent.get(`${data.vehicleId}|${data.timestamp}`);
          if (at !== undefined) latencies.push(performance.now() - at);
        }
      }
    })();
  }
  const note = (batch: PositionInput[], at: number) => {
    for (const p of batch) if (watched.has(`R${Number(p.vehicleId.slice(1)) % routes}`)) sent.set(`${p.vehicleId}|${p.timestamp}`, at);
  };
  let fresh = 0;
  rt.engine.onAccepted(() => fresh++);

  // 2. HTTP batches.
  {
    const writtenBefore = rt.store.written;
    fresh = 0;
    let queue: PositionInput[] = [];
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const worker = async () => {
      while (performance.now() - start < phaseSeconds * 1000) {
        if (queue.length < 1000) queue = queue.concat(nextRound());
        const batch = queue.splice(0, 1000);
        const at = performance.now();
        note(batch, at);
        const res = await fetch(`${base}/api/v1/transit/positions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ positions: batch }),
        });
        if (res.status !== 202) throw new Error(`positions answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const secs = (performance.now() - start) / 1000;
    const cpu = cpuSince(cpu0);
    await new Promise((r) => setTimeout(r, 300));
    const matched = rt.liveVehicles(agency).filter((v) => v.tripId).length;
    rows.push([
      'HTTP batches (1,000 per request, 4 in flight)',
      String(Math.round(fresh / secs)),
      `${Math.round(p99(latencies))} ms (${latencies.length} events)`,
      `${Math.round((100 * matched) / vehicles)} % matched; ${Math.round((rt.store.written - writtenBefore) / secs)}/s stored (${ctx.database.kind}), ${rt.store.pending} pending, ${rt.store.dropped} dropped; ${Math.round(fresh / cpu)} per CPU-second (client included)`,
    ]);
  }

  // 2b. The city's real rate: every bus once per 10 s (1,550 positions/s) in 100-ms HTTP batches; p99 send → SSE.
  {
    latencies = [];
    sent.clear();
    const rate = vehicles / 10;
    const start = performance.now();
    let queue: PositionInput[] = [];
    let due = 0;
    const pending: Promise<unknown>[] = [];
    while (performance.now() - start < phaseSeconds * 1000) {
      due += rate / 10;
      const take = Math.floor(due);
      due -= take;
      while (queue.length < take) queue = queue.concat(nextRound());
      const batch = queue.splice(0, take);
      note(batch, performance.now());
      pending.push(
        fetch(`${base}/api/v1/transit/positions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ positions: batch }),
        }).then((r) => r.arrayBuffer()),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, start + pending.length * 100 - performance.now())));
    }
    await Promise.all(pending);
    await new Promise((r) => setTimeout(r, 500));
    rows.push([
      `HTTP at the city's rate (${Math.round(rate)}/s, 100-ms batches)`,
      String(Math.round(rate)),
      `${Math.round(p99(latencies))} ms (${latencies.length} events)`,
      '',
    ]);
  }

  // 3. MQTT.
  {
    latencies = [];
    sent.clear();
    fresh = 0;
    const unit = await mqtt.connectAsync(mqttUrl, { protocolVersion: 5 });
    const props = { qos: 0 as const, properties: { userProperties: { authorization: `Bearer ${token}` } } };
    const writtenBefore = rt.store.written;
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    let published = 0;
    while (performance.now() - start < phaseSeconds * 1000) {
      const positions = nextRound();
      for (let i = 0; i < positions.length; i += 500) {
        const batch = positions.slice(i, i + 500);
        note(batch, performance.now());
        unit.publish(positionsTopic(agency), JSON.stringify({ positions: batch }), props);
        published += batch.length;
      }
      // Let the broker and the subscriber keep up rather than filling memory.
      while (published - fresh > 40_000 && performance.now() - start < phaseSeconds * 1000 + 20_000) await new Promise((r) => setTimeout(r, 5));
    }
    const deadline = performance.now() + 20_000;
    while (fresh < published && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const secs = (performance.now() - start) / 1000;
    const cpu = cpuSince(cpu0);
    rows.push([
      'MQTT (500 per message, QoS 0, shared subscription)',
      String(Math.round(fresh / secs)),
      `${Math.round(p99(latencies))} ms (${latencies.length} events)`,
      `${published - fresh} not arrived; ${Math.round((rt.store.written - writtenBefore) / secs)}/s stored, ${rt.store.pending} pending, ${rt.store.dropped} dropped; ${Math.round(fresh / cpu)} per CPU-second (client included)`,
    ]);
    await unit.endAsync();
  }

  for (const c of controllers) c.abort();
  const backlog = rt.store.pending;
  const drainStart = performance.now();
  await rt.store.flush();
  const drained = `store: ${rt.store.written} rows written in all, ${rt.store.dropped} dropped; the backlog of ${backlog} left after the last phase written in ${Math.round(performance.now() - drainStart)} ms`;
  const table = [['path', 'positions/s', 'p99 send → SSE event', 'notes'], ...rows];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  for (const r of table) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join(' | '));
  console.log(drained);
  await app.close();
  await closeContext(ctx);
  rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => setTimeout(() => process.exit(0), 200),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
