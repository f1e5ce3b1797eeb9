import { readFileSync } from 'node:fs';
import path from 'node:path';

const packageVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Everything the platform reads from the environment, validated once at boot. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** postgres://… for server mode; undefined means embedded PGlite under dataDir/pg. */
  databaseUrl: string | undefined;
  /** Connections this instance keeps to a PostgreSQL server (DATABASE_POOL_SIZE). */
  databasePoolSize: number;
  /** Public base URL, used in links sent by SMS or e-mail. */
  publicUrl: string;
  /** Trust X-Forwarded-* from a reverse proxy (for client addresses in rate limits and audit). */
  trustProxy: boolean;
  /** Mark session cookies Secure (behind HTTPS). */
  cookieSecure: boolean;
  /** Secret for signing cookies and webhook payloads of sandbox providers. */
  sessionSecret: string;
  sessionTtlHours: number;
  apiTokenTtlHours: number;
  /** Staff must pass a TOTP second factor. The demo switches it off. */
  staffTotpRequired: boolean;
  demoPassword: string;
  /** Seed the demo data on start (idempotent). */
  seedDemo: boolean;
  /** Largest accepted upload, in bytes. */
  uploadMaxBytes: number;
  /** Recipients (phone numbers, e-mail addresses) the sandbox SMS and e-mail providers report undeliverable. */
  notifySandboxFail: string[];
  logLevel: string;
  /** Rate limits: attempts per window on sign-in and code requests. */
  signInLimit: number;
  signInWindowSeconds: number;
  /** argon2id memory cost in KiB (OWASP minimum 19 MiB). */
  argon2MemoryKib: number;
  /** Payment and courier providers (only the offline sandboxes so far). */
  paymentProvider: 'sandbox';
  deliveryProvider: 'sandbox';
  /** Signs and verifies the sandbox providers' webhooks. */
  webhookSecret: string;
  /** How far a webhook's signed timestamp may be from now. */
  webhookToleranceSeconds: number;
  /** The sandbox courier console is open to anyone (the demo), not only platform admins. */
  sandboxConsolePublic: boolean;
  /** Seconds between automatic status steps of each sandbox shipment; 0 means only on command. */
  sandboxCourierAutoSeconds: number;
  /** Seconds anonymous public catalogue pages (and current item views) are micro-cached per process; 0 switches it off. */
  publicPageCacheSeconds: number;
  /** Posts one account may file in the hall per window (more answer 429). */
  hallPostLimit: number;
  hallPostWindowSeconds: number;
  /** Transit live: `live` takes time from the wall clock, `replay` from the newest ingested vehicle position. */
  transitClock: 'live' | 'replay';
  /** Transit live: MQTT broker for vehicle positions (topic servicehall/transit/<agency>/positions); unset = no MQTT. */
  mqttUrl: string | undefined;
  /** Transit live: a vehicle silent this long leaves the live view. */
  transitVehicleTimeoutSeconds: number;
  /** Stored vehicle positions older than this are deleted (hourly). */
  transitPositionRetentionHours: number;
  /** Transit live: operators' GTFS-Realtime VehiclePositions feeds to poll, `agency=url` separated by spaces or commas. */
  transitGtfsRtFeeds: { agencyCode: string; url: string }[];
  transitGtfsRtPollSeconds: number;
  /** Transit live: MQTT topic filters this instance subscribes to (default: the shared subscription of every agency). */
  transitMqttTopics: string[];
  version: string;
}

const bool = (v: string | undefined, fallback: boolean): boolean | Error => {
  if (v === undefined || v === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  return new Error(`must be true or false, got "${v}"`);
};

const int = (v: string | undefined, fallback: number, min: number, max: number): number | Error => {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) return new Error(`must be an integer from ${min} to ${max}, got "${v}"`);
  return n;
};

const provider = (v: string | undefined): 'sandbox' | Error => {
  if (v === undefined || v === '' || v === 'sandbox') return 'sandbox';
  return new Error(`must be "sandbox" (no other provider is installed), got "${v}"`);
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the configuration; throws a ConfigError that lists every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const take = <T>(key: string, value: T | Error): T => {
    if (value instanceof Error) {
      problems.push(`${key} ${value.message}`);
      return undefined as T;
    }
    return value;
  };

  const port = take('PORT', int(env.PORT, 3000, 0, 65535));
  const host = env.HOST || '127.0.0.1';
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  const publicUrl = (env.PUBLIC_URL || `http://${host}:${port}`).replace(/\/$/, '');
  const sessionSecret = env.SESSION_SECRET || 'servicehall-development-secret-change-me';
  if (sessionSecret.length < 32) problems.push('SESSION_SECRET must be at least 32 characters');
  if (env.WEBHOOK_SECRET && env.WEBHOOK_SECRET.length < 32) problems.push('WEBHOOK_SECRET must be at least 32 characters');

  const seedDemo = take('SEED_DEMO', bool(env.SEED_DEMO, true));
  const config: Config = {
    port,
    host,
    dataDir,
    databaseUrl,
    databasePoolSize: take('DATABASE_POOL_SIZE', int(env.DATABASE_POOL_SIZE, 20, 1, 500)),
    publicUrl,
    trustProxy: take('TRUST_PROXY', bool(env.TRUST_PROXY, false)),
    cookieSecure: take('COOKIE_SECURE', bool(env.COOKIE_SECURE, false)),
    sessionSecret,
    sessionTtlHours: take('SESSION_TTL_HOURS', int(env.SESSION_TTL_HOURS, 12, 1, 24 * 30)),
    apiTokenTtlHours: take('API_TOKEN_TTL_HOURS', int(env.API_TOKEN_TTL_HOURS, 24, 1, 24 * 90)),
    demoPassword: env.DEMO_PASSWORD || 'Chengdu#2026',
    seedDemo,
    // The demo (demo data seeded) switches the second factor off unless told otherwise; a real deployment keeps it.
    staffTotpRequired: take('STAFF_TOTP_REQUIRED', bool(env.STAFF_TOTP_REQUIRED, !seedDemo)),
    uploadMaxBytes: take('UPLOAD_MAX_BYTES', int(env.UPLOAD_MAX_BYTES, 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024)),
    notifySandboxFail: (env.NOTIFY_SANDBOX_FAIL ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL || 'info',
    signInLimit: take('SIGN_IN_LIMIT', int(env.SIGN_IN_LIMIT, 10, 1, 10000)),
    signInWindowSeconds: take('SIGN_IN_WINDOW_SECONDS', int(env.SIGN_IN_WINDOW_SECONDS, 900, 1, 86400)),
    argon2MemoryKib: take('ARGON2_MEMORY_KIB', int(env.ARGON2_MEMORY_KIB, 19456, 1024, 1048576)),
    paymentProvider: take('PAYMENT_PROVIDER', provider(env.PAYMENT_PROVIDER)),
    deliveryProvider: take('DELIVERY_PROVIDER', provider(env.DELIVERY_PROVIDER)),
    webhookSecret: env.WEBHOOK_SECRET || sessionSecret,
    webhookToleranceSeconds: take('WEBHOOK_TOLERANCE_SECONDS', int(env.WEBHOOK_TOLERANCE_SECONDS, 300, 10, 86400)),
    sandboxConsolePublic: take('SANDBOX_CONSOLE_PUBLIC', bool(env.SANDBOX_CONSOLE_PUBLIC, false)),
    sandboxCourierAutoSeconds: take('SANDBOX_COURIER_AUTO_SECONDS', int(env.SANDBOX_COURIER_AUTO_SECONDS, 0, 0, 86400)),
    publicPageCacheSeconds: take('PUBLIC_PAGE_CACHE_SECONDS', int(env.PUBLIC_PAGE_CACHE_SECONDS, 5, 0, 300)),
    hallPostLimit: take('HALL_POST_LIMIT', int(env.HALL_POST_LIMIT, 5, 1, 1000000)),
    hallPostWindowSeconds: take('HALL_POST_WINDOW_SECONDS', int(env.HALL_POST_WINDOW_SECONDS, 600, 1, 86400)),
    transitClock: env.TRANSIT_CLOCK === 'replay' ? 'replay' : 'live',
    mqttUrl: env.MQTT_URL || undefined,
    // At least the 3 hours a restart replays.
    transitPositionRetentionHours: take('TRANSIT_POSITION_RETENTION_HOURS', int(env.TRANSIT_POSITION_RETENTION_HOURS, 48, 3, 24 * 3660)),
    transitVehicleTimeoutSeconds: take('TRANSIT_VEHICLE_TIMEOUT_SECONDS', int(env.TRANSIT_VEHICLE_TIMEOUT_SECONDS, 300, 10, 86400)),
    transitGtfsRtFeeds: (env.TRANSIT_GTFSRT_FEEDS ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((entry) => {
        const at = entry.indexOf('=');
        return { agencyCode: entry.slice(0, at), url: entry.slice(at + 1) };
      }),
    transitGtfsRtPollSeconds: take('TRANSIT_GTFSRT_POLL_SECONDS', int(env.TRANSIT_GTFSRT_POLL_SECONDS, 15, 1, 3600)),
    transitMqttTopics: (env.TRANSIT_MQTT_TOPICS ?? '').split(/[\s,]+/).filter(Boolean),
    version: packageVersion,
  };
  if (env.TRANSIT_CLOCK && !['live', 'replay'].includes(env.TRANSIT_CLOCK)) problems.push(`TRANSIT_CLOCK must be live or replay, got "${env.TRANSIT_CLOCK}"`);
  if (config.mqttUrl && !/^(mqtts?|wss?|tcp):\/\//.test(config.mqttUrl)) problems.push('MQTT_URL must start with mqtt://, mqtts://, ws:// or wss://');
  for (const f of config.transitGtfsRtFeeds) {
    if (!/^[a-z0-9-]+$/.test(f.agencyCode) || !/^https?:\/\//.test(f.url))
      problems.push(`TRANSIT_GTFSRT_FEEDS entries must be agency=http(s)://url, got "${f.agencyCode}=${f.url}"`);
  }
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "${config.logLevel}"`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
