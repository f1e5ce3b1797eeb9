import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openLoop } from '../bench/open-loop.js';

// The load generator the benchmark uses for "p99 at the target rate": its arrivals must be spread out (not bursts)
// and its latencies must include the time a request waited to be sent.
describe('bench open-loop load generator', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function serve(onRequest: (key: string | undefined) => void): Promise<string> {
    server = createServer((req, res) => {
      onRequest(req.headers['idempotency-key'] as string | undefined);
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
  }

  it('sends about rate × duration requests, spread over the run, each with its own id', async () => {
    const arrivals: number[] = [];
    const keys: string[] = [];
    const url = await serve((key) => {
      arrivals.push(performance.now());
      keys.push(key ?? '');
    });
    const r = await openLoop({ url, rate: 100, duration: 2, method: 'POST', body: '{}', headers: { 'idempotency-key': 'k-[<id>]' }, idReplacement: true });
    expect(r.sent).toBeGreaterThan(140);
    expect(r.sent).toBeLessThan(260);
    expect(r.non2xx + r.errors).toBe(0);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => k.startsWith('k-') && !k.includes('[<id>]'))).toBe(true);
    // Poisson arrivals at 100/s: about 10 per 100 ms. A generator that sent each second's share at once would put
    // the whole second's requests in the first few milliseconds.
    const first = arrivals[0]!;
    const perWindow = new Map<number, number>();
    for (const t of arrivals) perWindow.set(Math.floor((t - first) / 100), (perWindow.get(Math.floor((t - first) / 100)) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThan(35);
    expect(perWindow.size).toBeGreaterThanOrEqual(17);
  });

  it('sends each request to the next of several paths in turn', async () => {
    const paths: string[] = [];
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await openLoop({ url: [`${base}/a`, `${base}/b`], rate: 100, duration: 1 });
    expect(r.non2xx + r.errors).toBe(0);
    const a = paths.filter((p) => p === '/a').length;
    expect(a + paths.filter((p) => p === '/b').length).toBe(paths.length);
    expect(Math.abs(2 * a - paths.length)).toBeLessThanOrEqual(1);
  });

  it('counts the time a request waited while the server was stalled (no coordinated omission)', async () => {
    let stalled = false;
    const url = await serve(() => {
      if (stalled) return;
      stalled = true;
      // The server's only thread is busy for 400 ms: every request due meanwhile waits.
      const until = Date.now() + 400;
      while (Date.now() < until);
    });
    const r = await openLoop({ url, rate: 100, duration: 2 });
    expect(r.non2xx + r.errors).toBe(0);
    // About 40 of some 200 requests were due during the stall: well over 1 %, so p99 shows it.
    expect(r.p99).toBeGreaterThan(250);
    expect(r.p50).toBeLessThan(100);
  });

  it('does not count the warm-up: a stall while it runs is not in the measured figures', async () => {
    let seen = 0;
    const url = await serve(() => {
      seen += 1;
      if (seen > 1) return;
      const until = Date.now() + 400;
      while (Date.now() < until);
    });
    let measuringAt: number | undefined;
    const started = performance.now();
    const r = await openLoop({ url, rate: 100, warmup: 1, duration: 1 }, () => (measuringAt = performance.now() - started));
    expect(r.non2xx + r.errors).toBe(0);
    // Some 200 requests reached the server, but only the measured second's are counted.
    expect(seen).toBeGreaterThan(r.sent + 50);
    expect(r.answered).toBe(r.sent);
    expect(r.sent).toBeGreaterThan(60);
    expect(r.sent).toBeLessThan(140);
    expect(r.p99).toBeLessThan(200);
    // Told when the measured arrivals began: after the warm-up second (the worker's start adds a little).
    expect(measuringAt).toBeGreaterThan(1000);
  });
});
