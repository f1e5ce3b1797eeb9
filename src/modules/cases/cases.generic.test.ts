import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/helpers.js';
import { createUser, type TestUser } from '../../../test/factories.js';
import type { App } from '../../platform/http/types.js';
import { getCurrentItem, type FormDefinition } from '../catalog/index.js';
import { prepareCases, residentId, setIdNumber, tinyJpeg, tinyPng } from './cases.testkit.js';

// Items other than the two full journeys go through the generic flow: the form definition alone says what
// to submit, and the default workflow carries them from submission to completion.
const genericItems = ['hukou-transfer', 'social-security-card', 'pension-claim', 'employment-registration', 'tax-payment-record'];

let app: App;
let ctx: TestContext;
let citizen: TestUser;
const idNumber = residentId('51010719600312002');

type Json = Record<string, unknown>;

async function call(user: TestUser, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) {
  const res = await app.inject({ method, url, headers: { authorization: user.authorization, ...headers }, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : {}) as Json };
}

async function upload(accept: string[] = ['image/png']): Promise<string> {
  const [bytes, type, fileName] = accept.includes('image/png') ? [tinyPng, 'image/png', 'm.png'] : [tinyJpeg, 'image/jpeg', 'm.jpg'];
  const boundary = '----generic';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\napplication\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { authorization: citizen.authorization, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return (JSON.parse(res.body) as { id: string }).id;
}

/** A valid answer for every field the form shows, derived from its schema and widget alone. */
async function answersFor(form: FormDefinition): Promise<Json> {
  const data: Json = {};
  for (const [name, ui] of Object.entries(form['x-ui'].fields)) {
    if (ui.showIf) continue; // conditional fields stay hidden with the first choices below
    const schema = form.properties[name] ?? {};
    const enumValues = schema.enum as string[] | undefined;
    switch (ui.widget) {
      case 'idNumber':
        data[name] = idNumber;
        break;
      case 'phone':
        data[name] = citizen.phone;
        break;
      case 'chengduAddress':
        data[name] = { district: '武侯区', detail: '人民南路四段1号' };
        break;
      case 'date':
        data[name] = '2026-12-01';
        break;
      case 'choice':
        data[name] = ui.options?.[0]?.value ?? enumValues?.[0];
        break;
      case 'number':
        data[name] = Number(schema.minimum ?? 1);
        break;
      case 'file':
        data[name] = await upload(ui.accept);
        break;
      case 'uscc':
        data[name] = '91510107MA6CBX7Q6L';
        break;
      default:
        data[name] = enumValues?.[0] ?? (name.toLowerCase().includes('name') ? '赵敏' : '说明');
    }
  }
  return data;
}

beforeAll(async () => {
  ({ app, ctx } = await createTestApp());
  await prepareCases(ctx, app);
  citizen = await createUser(ctx, { realName: '赵敏' });
  await setIdNumber(ctx, citizen.id, idNumber);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

describe('the generic flow', () => {
  it.each(genericItems)('%s goes from submission to completion through its own form and workflow', async (code) => {
    const item = await getCurrentItem(ctx.db, code);
    expect(item, code).toBeTruthy();
    const department = item!.departmentCode;
    const staff = async (role: string) => createUser(ctx, { kind: 'staff', departmentCode: department, roles: [role], realName: role });
    const [clerk, reviewer, approver] = [await staff('clerk'), await staff('reviewer'), await staff('approver')];

    const delivery = item!.content.deliveryOptions.includes('electronic') ? { method: 'electronic' } : { method: 'window' };
    const submitted = await call(
      citizen,
      'POST',
      '/api/v1/applications',
      { serviceCode: code, data: await answersFor(item!.content.formDefinition), delivery },
      { 'idempotency-key': `generic-${code}` },
    );
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const id = String(submitted.body.id);

    for (const [who, action] of [
      [clerk, 'accept'],
      [reviewer, 'start_review'],
      [approver, 'approve'],
      [clerk, 'complete'],
    ] as const) {
      const res = await call(who, 'POST', `/api/v1/applications/${id}/actions`, { action });
      expect(res.status, `${code} ${action}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    const final = await call(citizen, 'GET', `/api/v1/applications/${id}`);
    expect(final.body.status).toBe('completed');
    const statuses = (final.body.timeline as { status: string }[]).map((e) => e.status);
    expect(statuses).toEqual(expect.arrayContaining(['submitted', 'accepted', 'under_review', 'approved', 'completed']));
  });
});
