import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../context.js';
import type { Executor } from '../db/db.js';
import type { Jobs } from '../jobs/jobs.js';

/**
 * Signed webhooks, shared by the sandbox providers (which send callbacks like a real provider) and the
 * callback routes (which verify them). The signature is HMAC-SHA256 over `<timestamp>.<raw body>`, sent as
 * `t=<unix seconds>,v1=<hex>`: binding the timestamp stops an old callback from being replayed later.
 */
export const signatureHeader = 'x-servicehall-signature';

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value for `body` signed at `now`. */
export function signatureFor(secret: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${signPayload(secret, t, body)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

/**
 * Checks a signature header against the raw body. A timestamp further than `toleranceSeconds` from now
 * (either way) is refused even with a good signature; the comparison is constant-time.
 */
export function verifySignature(secret: string, header: string | undefined, body: string, now: Date, toleranceSeconds: number): VerifyResult {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = new Map<string, string>();
  for (const piece of header.split(',')) {
    const i = piece.indexOf('=');
    if (i > 0) parts.set(piece.slice(0, i).trim(), piece.slice(i + 1).trim());
  }
  const t = parts.get('t');
  const v1 = parts.get('v1');
  if (!t || !/^\d{1,12}$/.test(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return { ok: false, reason: 'malformed' };
  const timestamp = Number(t);
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(signPayload(secret, timestamp, body), 'hex');
  const given = Buffer.from(v1, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true, timestamp };
}

export interface TransportResponse {
  status: number;
  body: string;
}

/** Sends one callback. `path` is relative to the receiving application (e.g. /api/v1/payments/callbacks/sandbox). */
export interface WebhookTransport {
  post(path: string, body: string, headers: Record<string, string>): Promise<TransportResponse>;
}

/** Real HTTP: POSTs to `baseUrl` + path, with a timeout so a hung receiver does not hold a worker. */
export function fetchTransport(baseUrl: string, timeoutMs = 10_000): WebhookTransport {
  return {
    async post(path, body, headers) {
      const res = await fetch(new URL(path, baseUrl), {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, body: await res.text() };
    },
  };
}

/** Anything with Fastify's inject (the app in tests). */
export interface Injectable {
  inject(options: { method: 'POST'; url: string; payload: string; headers: Record<string, string> }): Promise<{ statusCode: number; body: string }>;
}

/** In-process delivery for tests: the same route, signature check and handler, without a socket. */
export function injectTransport(app: Injectable): WebhookTransport {
  return {
    async post(path, body, headers) {
      const res = await app.inject({ method: 'POST', url: path, payload: body, headers: { 'content-type': 'application/json', ...headers } });
      return { status: res.statusCode, body: res.body };
    },
  };
}

export const webhookDeliveryQueue = 'platform.webhooks.deliver';

interface DeliveryJob {
  id: string;
  path: string;
  body: string;
}

export interface Webhooks {
  /**
   * Queues a signed POST of `payload` to `path`, in the caller's transaction: it is sent only if the
   * change that caused it commits, and retried (with backoff) until the receiver answers 2xx.
   */
  enqueue(executor: Executor, path: string, payload: Record<string, unknown>): Promise<string>;
  /** One delivery attempt (what the job runs); throws on a non-2xx answer so the job is retried. */
  deliverNow(path: string, body: string): Promise<TransportResponse>;
  /** Replaces the transport (tests deliver through app.inject). */
  useTransport(transport: WebhookTransport): void;
  verify(header: string | undefined, body: string): VerifyResult;
}

export interface WebhookOptions {
  secret: string;
  toleranceSeconds: number;
  transport: WebhookTransport;
  retryLimit?: number;
  retryDelaySeconds?: number;
}

export async function createWebhooks(jobs: Jobs, clock: Clock, log: Logger, options: WebhookOptions): Promise<Webhooks> {
  let transport = options.transport;

  const deliverNow = async (path: string, body: string): Promise<TransportResponse> => {
    // Signed at each attempt, so a retry hours later is still inside the receiver's tolerance window.
    const res = await transport.post(path, body, { [signatureHeader]: signatureFor(options.secret, body, clock.now()) });
    if (res.status < 200 || res.status >= 300) throw new Error(`Webhook ${path} answered ${res.status}: ${res.body.slice(0, 300)}`);
    return res;
  };

  await jobs.define<DeliveryJob>(
    webhookDeliveryQueue,
    async ({ id, path, body }, job) => {
      await deliverNow(path, body);
      log.debug({ webhookId: id, path, attempt: job.retryCount + 1 }, 'webhook delivered');
    },
    { retryLimit: options.retryLimit ?? 10, retryDelaySeconds: options.retryDelaySeconds ?? 2, retryBackoff: true },
  );

  return {
    async enqueue(executor, path, payload) {
      const id = randomUUID();
      await jobs.send<DeliveryJob>(webhookDeliveryQueue, { id, path, body: JSON.stringify(payload) }, { executor });
      return id;
    },
    deliverNow,
    useTransport(next) {
      transport = next;
    },
    verify(header, body) {
      return verifySignature(options.secret, header, body, clock.now(), options.toleranceSeconds);
    },
  };
}
