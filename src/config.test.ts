import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs the demo on defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, staffTotpRequired: false, seedDemo: true });
    expect(c.dataDir).toMatch(/data$/);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', DATABASE_POOL_SIZE: '0', COOKIE_SECURE: 'maybe', SESSION_SECRET: 'short', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['PORT', 'DATABASE_URL', 'DATABASE_POOL_SIZE', 'COOKIE_SECURE', 'SESSION_SECRET', 'LOG_LEVEL']) expect(problems).toContain(key);
  });

  it('requires the staff second factor outside the demo unless switched off', () => {
    expect(loadConfig({ SEED_DEMO: 'false' }).staffTotpRequired).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'true', STAFF_TOTP_REQUIRED: 'true' }).staffTotpRequired).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'false', STAFF_TOTP_REQUIRED: 'false' }).staffTotpRequired).toBe(false);
  });

  it('reads server mode and switches', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@h/db', STAFF_TOTP_REQUIRED: 'false', PORT: '8080' });
    expect(c.databaseUrl).toBe('postgres://u@h/db');
    expect(c.staffTotpRequired).toBe(false);
    expect(c.port).toBe(8080);
    expect(c.databasePoolSize).toBe(20);
    expect(loadConfig({ DATABASE_POOL_SIZE: '40' }).databasePoolSize).toBe(40);
  });
});
