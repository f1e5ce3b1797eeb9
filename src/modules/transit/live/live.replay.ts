import { avlFiles, readAvlCsv } from './live.avl.js';
import type { PositionInput } from './live.types.js';

export interface ReplayOptions {
  target: string;
  /** 1 = real time, 10 = ten times faster, 0 = as fast as the server takes them. */
  speed: number;
  url: string;
  token: string;
  timeZone: string;
  /** Positions sent per request at most (those due at the same moment go together). */
  batch: number;
  log?: (line: string) => void;
}

export const replayUsage = `Usage: npm run transit:replay -- <avl csv or directory> [--speed 1] [--url http://127.0.0.1:3000] [--token <operator API token>] [--tz America/New_York] [--batch 500]
  Sends a recorded AVL trace (TransitClock CSV: vehicleId,time,assignmentId,assignmentType,heading,latitude,longitude)
  through POST /api/v1/transit/positions, keeping the gaps between fixes divided by --speed (0: no waiting).
  Run the server with TRANSIT_CLOCK=replay so predictions use the trace's time. The token may also come from
  TRANSIT_TOKEN; get one with POST /api/v1/session as bus-group.operator.`;

export function parseReplayArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ReplayOptions | string {
  const o: ReplayOptions = {
    target: '',
    speed: 1,
    url: env.TRANSIT_URL || 'http://127.0.0.1:3000',
    token: env.TRANSIT_TOKEN || '',
    timeZone: 'America/New_York',
    batch: 500,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = argv[i + 1];
    if (a === '--speed' || a === '--url' || a === '--token' || a === '--tz' || a === '--batch') {
      if (value === undefined) return `${a} needs a value`;
      i++;
      if (a === '--speed') o.speed = Number(value);
      else if (a === '--url') o.url = value.replace(/\/$/, '');
      else if (a === '--token') o.token = value;
      else if (a === '--tz') o.timeZone = value;
      else o.batch = Number(value);
    } else if (a.startsWith('--')) return `Unknown option ${a}`;
    else o.target = a;
  }
  if (!o.target) return 'Name an AVL CSV file or a directory of them';
  if (!Number.isFinite(o.speed) || o.speed < 0) return '--speed must be a number ≥ 0';
  if (!Number.isInteger(o.batch) || o.batch < 1 || o.batch > 5000) return '--batch must be an integer from 1 to 5000';
  if (!o.token) return '--token (or TRANSIT_TOKEN) is required: an operator API token';
  return o;
}

/** Replays the trace; resolves with how many positions the server accepted. */
export async function replay(o: ReplayOptions): Promise<{ sent: number; accepted: number; requests: number }> {
  const positions: PositionInput[] = avlFiles(o.target)
    .flatMap((f) => readAvlCsv(f, o.timeZone))
    .sort((a, b) => a.timestamp - b.timestamp);
  const log = o.log ?? (() => undefined);
  let sent = 0;
  let accepted = 0;
  let requests = 0;
  const startWall = Date.now();
  const startTrace = positions[0]?.timestamp ?? 0;
  for (let i = 0; i < positions.length;) {
    const due = positions[i]!.timestamp;
    if (o.speed > 0) {
      const wait = startWall + ((due - startTrace) * 1000) / o.speed - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const batch: PositionInput[] = [];
    // Everything already due (at this speed) goes in one request.
    const horizon = o.speed > 0 ? startTrace + ((Date.now() - startWall) / 1000) * o.speed : Infinity;
    while (i < positions.length && batch.length < o.batch && (batch.length === 0 || positions[i]!.timestamp <= horizon)) batch.push(positions[i++]!);
    const response = await fetch(`${o.url}/api/v1/transit/positions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}` },
      body: JSON.stringify({ positions: batch }),
    });
    requests++;
    sent += batch.length;
    const text = await response.text();
    if (response.status !== 202) throw new Error(`The server refused a batch (${response.status}): ${text.slice(0, 500)}`);
    accepted += (JSON.parse(text) as { accepted: number }).accepted;
    log(`${new Date(batch[batch.length - 1]!.timestamp * 1000).toISOString()} sent ${sent}/${positions.length}`);
  }
  return { sent, accepted, requests };
}
