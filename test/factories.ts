import { createHash, randomBytes } from 'node:crypto';
import { sessions, staffRoles, users } from '../src/platform/db/schema.js';
import type { AppContext } from '../src/platform/context.js';

/** Polls until `check` holds (jobs run asynchronously), failing after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 8000, intervalMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

let counter = 0;

export interface TestUser {
  id: string;
  phone: string | null;
  login: string | null;
  /** `sh_session=<token>` signs a page request in as this user. */
  cookie: string;
  /** `Bearer <token>` signs an API request in as this user. */
  authorization: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Writes a real user with a web session and an API token, the way the identity module stores them
 * (only sha256(token) is kept), so tests can act as that person without going through sign-in.
 */
export async function createUser(
  ctx: Pick<AppContext, 'db'>,
  options: { kind?: 'citizen' | 'staff'; realName?: string; departmentCode?: string; email?: string; roles?: string[] } = {},
): Promise<TestUser> {
  counter++;
  const kind = options.kind ?? 'citizen';
  const suffix = `${process.pid % 1000}${String(counter).padStart(4, '0')}`.slice(-8);
  const phone = kind === 'citizen' ? `139${suffix.padStart(8, '0')}` : null;
  const login = kind === 'staff' ? `test.${suffix}` : null;
  const [user] = await ctx.db
    .insert(users)
    .values({
      kind,
      phone,
      login,
      realName: options.realName ?? `测试用户${counter}`,
      email: options.email ?? null,
      passwordHash: 'not-a-real-hash',
      departmentCode: options.departmentCode ?? null,
    })
    .returning({ id: users.id });
  if (!user) throw new Error('user insert returned nothing');
  if (options.roles?.length) await ctx.db.insert(staffRoles).values(options.roles.map((role) => ({ userId: user.id, role })));
  const web = randomBytes(24).toString('hex');
  const api = randomBytes(24).toString('hex');
  const expiresAt = new Date(Date.now() + 3600_000);
  await ctx.db.insert(sessions).values([
    { tokenHash: sha256(web), userId: user.id, kind: 'web', expiresAt },
    { tokenHash: sha256(api), userId: user.id, kind: 'api', expiresAt },
  ]);
  return { id: user.id, phone, login, cookie: `sh_session=${web}`, authorization: `Bearer ${api}` };
}
