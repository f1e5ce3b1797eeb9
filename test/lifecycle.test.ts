import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The real CLI as a user starts it: migrate, seed, serve; stop on SIGTERM; start again with the data kept.
const dataDir = mkdtempSync(path.join(tmpdir(), 'servicehall-lifecycle-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function start(port: number, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ARGON2_MEMORY_KIB: '1024',
      TEST_DATABASE_URL: '',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  return { child, output: () => out };
}

async function waitHealthy(port: number, output: () => string): Promise<void> {
  const until = Date.now() + 150_000;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not become healthy:\n${output()}`);
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('npm start lifecycle', () => {
  it('serves seeded data, stops cleanly on SIGTERM and keeps every record across a restart', async () => {
    const port = await freePort();
    const first = start(port, { SEED_DEMO: 'true' });
    await waitHealthy(port, first.output);
    expect(first.output()).toContain(`http://127.0.0.1:${port}`);
    expect(first.output()).toContain('Demo sign-ins');
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { database: string };
    expect(health.database).toBe('pglite');
    const departments = async () => ((await (await fetch(`http://127.0.0.1:${port}/api/v1/departments`)).json()) as { items: { code: string }[] }).items;
    const before = await departments();
    expect(before.map((d) => d.code)).toContain('gov-service');

    // A record acknowledged to a user (an API session) must survive the restart.
    const signIn = await fetch(`http://127.0.0.1:${port}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: '13800000001', password: 'Chengdu#2026' }),
    });
    expect(signIn.status).toBe(200);
    const { token } = (await signIn.json()) as { token: string };

    const stopped = exited(first.child);
    first.child.kill('SIGTERM');
    expect(await stopped).toBe(0);

    const second = start(port, { SEED_DEMO: 'false' });
    await waitHealthy(port, second.output);
    const after = await departments();
    expect(after).toEqual(before);
    const me = await fetch(`http://127.0.0.1:${port}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const stopped2 = exited(second.child);
    second.child.kill('SIGINT');
    expect(await stopped2).toBe(0);
  }, 400_000);
});
