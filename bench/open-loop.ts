/**
 * An open-loop load generator: requests arrive at a given mean rate as a Poisson process (independent people,
 * each sending when they choose, not when the previous answer came back), and each latency counts from the
 * moment the request was due to be sent. A server that falls behind therefore shows its queue in p99, and a
 * generator that falls behind cannot hide it either (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: it gives each connection rate/connections requests per second and lets
 * the connection send them back to back as soon as each second's timer resets. At 300/s over 50 connections
 * that is 50 × 6 requests sent as fast as the server answers, then a pause: the server sees bursts at full
 * speed, and p99 measures the burst, not the offered rate.
 *
 * Runs in a worker thread (like autocannon's), so the generator never shares the server's event loop.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import { seededRandom } from '../src/platform/random.js';

export interface OpenLoopOptions {
  /** Several: the same path on several instances, each request to the next in turn (a round-robin load balancer). */
  url: string | string[];
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Mean requests per second. */
  rate: number;
  /** Seconds of arrivals that are measured. */
  duration: number;
  /**
   * Seconds of arrivals at the same rate before the measured ones, on the same connections, whose answers are not
   * counted. Default 0. The generator's own start (a new thread compiling its code, connections being opened) would
   * otherwise be counted as the server's latency.
   */
  warmup?: number;
  /** `[<id>]` in a header value becomes a new id per request (a fresh Idempotency-Key). */
  idReplacement?: boolean;
  /** Most connections the generator opens (requests beyond wait for one, and the wait counts). Default 256. */
  maxConnections?: number;
  /** Seed of the arrival times, so runs are comparable. Default 1. */
  seed?: number;
}

export interface OpenLoopResult {
  /** Answered requests per second of the measured run (2xx or not). */
  requestsPerSecond: number;
  sent: number;
  /** Requests answered (2xx or not). */
  answered: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

/**
 * Runs the load in a worker thread and resolves with its figures. `onMeasuring` is called when the warm-up ends and
 * the measured arrivals begin (so the caller can take its own readings over the same time).
 */
export function openLoop(options: OpenLoopOptions, onMeasuring?: () => void): Promise<OpenLoopResult> {
  return new Promise((resolve, reject) => {
    // tsx's loader does not reach worker threads on Node 20: the worker registers it before loading this file
    // (resolved from the working folder, the project's, as npm scripts run).
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: options });
    worker.on('message', (message: { measuring: true } | { result: OpenLoopResult }) => {
      if ('result' in message) resolve(message.result);
      else onMeasuring?.();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The load generator stopped with code ${code}`));
    });
  });
}

/** The q-quantile (0–1) of sorted values. */
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;

async function run(o: OpenLoopOptions, onMeasuring: () => void): Promise<OpenLoopResult> {
  const urls = (Array.isArray(o.url) ? o.url : [o.url]).map((u) => new URL(u));
  const pools = urls.map((u) => new Pool(u.origin, { connections: o.maxConnections ?? 256, pipelining: 1 }));
  const next = seededRandom(o.seed ?? 1);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  const pending = new Set<Promise<void>>();
  const send = (due: number, counted: boolean) => {
    const id = `${process.pid}-${o.seed ?? 1}-${sent}-${Date.now()}`;
    const headers = o.idReplacement ? Object.fromEntries(Object.entries(o.headers ?? {}).map(([k, v]) => [k, v.replace('[<id>]', id)])) : o.headers;
    const url = urls[sent % urls.length]!;
    const request = pools[sent % pools.length]!.request({
      path: url.pathname + url.search,
      method: o.method ?? 'GET',
      ...(headers ? { headers } : {}),
      ...(o.body ? { body: o.body } : {}),
    })
      .then(async (res) => {
        await res.body.text();
        if (!counted) return;
        latencies.push(performance.now() - due);
        if (res.statusCode < 200 || res.statusCode > 299) non2xx += 1;
      })
      .catch(() => {
        if (counted) errors += 1;
      })
      .finally(() => pending.delete(request));
    pending.add(request);
    sent += 1;
  };
  const begin = performance.now();
  // Measured arrivals are those due from `start`; their answers are counted, whenever they come.
  const start = begin + (o.warmup ?? 0) * 1000;
  const end = start + o.duration * 1000;
  // Exponential gaps between arrivals: a Poisson process of the given mean rate.
  let due = begin - (Math.log(1 - next()) / o.rate) * 1000;
  let measured = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (due <= now && due < end) {
        const counted = due >= start;
        if (counted) {
          if (measured === 0) onMeasuring();
          measured += 1;
        }
        send(due, counted);
        due -= (Math.log(1 - next()) / o.rate) * 1000;
      }
      if (due >= end) done();
      else setTimeout(tick, Math.max(0, Math.min(5, due - now - 0.5)));
    };
    tick();
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  await Promise.all(pools.map((p) => p.close()));
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / elapsed,
    sent: measured,
    answered: latencies.length,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? 0,
    non2xx,
    errors,
  };
}

if (!isMainThread && parentPort && (workerData as OpenLoopOptions | undefined)?.rate) {
  const port = parentPort;
  void run(workerData as OpenLoopOptions, () => port.postMessage({ measuring: true })).then((result) => port.postMessage({ result }));
}
