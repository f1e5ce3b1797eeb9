import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { getCurrentItem, type FormDefinition } from '../catalog/index.js';
import { findCitizenIdByPhone, findStaffIdByLogin, getUserById, listEnterprisesOf } from '../identity/index.js';
import { formFields, isFieldVisible } from './cases.forms.js';
import { seedCalendar, submitApplication, takeAction, type DeliveryChoice } from './cases.service.js';

/** The smallest JPEG header file-type recognises; stands in for a demo photo. */
const demoJpeg = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9,
]);

export interface SampleIdentity {
  realName: string;
  idNumber: string | null;
  phone: string | null;
  uscc?: string | null;
  companyName?: string | null;
}

/**
 * Valid answers for a form, made from its definition: the person's own data for prefilled fields, the
 * first option of a choice, the lowest allowed number, a Chengdu address. Used by the demo seed and tests.
 */
export function sampleFormData(
  form: FormDefinition,
  who: SampleIdentity,
  fileId: string | null,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const data: Record<string, unknown> = { ...overrides };
  for (const f of formFields(form)) {
    if (f.name in data) continue;
    if (!isFieldVisible(f.ui, data)) continue;
    const source = f.ui.prefill?.source ?? '';
    const schema = f.schema;
    switch (f.ui.widget) {
      case 'idNumber':
        data[f.name] = who.idNumber ?? '510107198503120028';
        break;
      case 'phone':
        data[f.name] = who.phone ?? '13800000001';
        break;
      case 'uscc':
        data[f.name] = who.uscc ?? '91510107MA6CBX7Q6L';
        break;
      case 'chengduAddress':
        data[f.name] = { district: '武侯区', detail: '人民南路四段 1 号' };
        break;
      case 'date':
        data[f.name] = '2020-06-01';
        break;
      case 'choice':
        data[f.name] = f.ui.options?.[0]?.value ?? '';
        break;
      case 'number':
        data[f.name] = typeof schema.minimum === 'number' ? schema.minimum : 1;
        break;
      case 'file':
        if (fileId) data[f.name] = fileId;
        break;
      default: {
        const max = typeof schema.maxLength === 'number' ? schema.maxLength : 50;
        let text = source.endsWith('realName') ? who.realName : source.includes('name') && who.companyName ? who.companyName : '示例内容';
        if (f.name === 'permitNumber') text = 'C12345678';
        data[f.name] = text.slice(0, max);
      }
    }
  }
  // A conditional field shown by an answer chosen above gets a value too.
  for (const f of formFields(form)) if (!(f.name in data) && isFieldVisible(f.ui, data) && f.required) data[f.name] = '示例内容';
  return data;
}

async function actorFor(ctx: AppContext, userId: string, actingForUscc?: string): Promise<Actor | null> {
  const user = await getUserById(ctx.db, userId);
  if (!user) return null;
  const company = actingForUscc ? (await listEnterprisesOf(ctx.db, userId)).find((c) => c.uscc === actingForUscc) : undefined;
  return {
    userId: user.id,
    kind: user.kind,
    realName: user.realName,
    departmentCode: user.departmentCode,
    roles: user.roles,
    actingFor: company ? { enterpriseId: company.id, uscc: company.uscc, name: company.name, role: company.role } : null,
    sessionId: 'seed',
    via: 'bearer',
    pendingSecondFactor: false,
  };
}

interface DemoCase {
  key: string;
  phone: string;
  serviceCode: string;
  actingFor?: string;
  overrides?: Record<string, unknown>;
  delivery: DeliveryChoice;
  /** Staff steps after submission: [login suffix, action, comment?]. */
  steps: [string, string, string?][];
}

const courier = (name: string, phone: string): DeliveryChoice => ({
  method: 'courier',
  recipientName: name,
  phone,
  address: { district: '武侯区', detail: '人民南路四段 1 号' },
});

const demoCases: DemoCase[] = [
  {
    key: 'demo-1',
    phone: '13800000001',
    serviceCode: 'hk-macao-endorsement',
    // No permit number: the submission takes 张丽's from the exit-entry register (exchange seed), as a person's would be.
    overrides: { endorsementType: 'family', permitNumber: undefined },
    delivery: courier('张丽', '13800000001'),
    steps: [],
  },
  { key: 'demo-2', phone: '13800000001', serviceCode: 'social-security-card', delivery: { method: 'window' }, steps: [['clerk', 'accept']] },
  {
    key: 'demo-3',
    phone: '13800000002',
    serviceCode: 'hukou-transfer',
    delivery: { method: 'window' },
    steps: [['clerk', 'request_correction', '请补充迁入地住房证明；户口簿照片不清晰。']],
  },
  {
    key: 'demo-4',
    phone: '13800000002',
    serviceCode: 'tax-payment-record',
    delivery: { method: 'electronic' },
    steps: [
      ['clerk', 'accept'],
      ['reviewer', 'start_review'],
      ['approver', 'approve'],
      ['clerk', 'complete'],
    ],
  },
  {
    key: 'demo-5',
    phone: '13800000003',
    serviceCode: 'vat-invoice-stock',
    actingFor: '91510107MA6CBX7Q6L',
    delivery: courier('李强', '13800000003'),
    steps: [],
  },
];

/** The holiday calendar, and a few demo applications in various states so the workbench is not empty. Idempotent. */
export async function seedCases(ctx: AppContext): Promise<void> {
  await seedCalendar(ctx);
  for (const demo of demoCases) {
    const userId = await findCitizenIdByPhone(ctx.db, demo.phone);
    const item = await getCurrentItem(ctx.db, demo.serviceCode);
    if (!userId || !item) continue;
    const actor = await actorFor(ctx, userId, demo.actingFor);
    if (!actor) continue;
    const user = await getUserById(ctx.db, userId);
    const needsFile = formFields(item.content.formDefinition).some((f) => f.ui.widget === 'file');
    const file = needsFile
      ? await ctx.files.store(ctx.db, {
          bytes: demoJpeg,
          originalName: 'photo.jpg',
          purpose: 'application',
          ownerUserId: userId,
          ownerEnterpriseId: actor.actingFor?.enterpriseId ?? null,
        })
      : null;
    const data = sampleFormData(
      item.content.formDefinition,
      {
        realName: actor.realName,
        idNumber: user?.idNumber ?? null,
        phone: user?.phone ?? null,
        uscc: actor.actingFor?.uscc ?? null,
        companyName: actor.actingFor?.name ?? null,
      },
      file?.id ?? null,
      demo.overrides,
    );
    const delivery = item.content.deliveryOptions.includes(demo.delivery.method) ? demo.delivery : { method: item.content.deliveryOptions[0] ?? 'window' };
    const result = await submitApplication(ctx, actor, {
      serviceCode: demo.serviceCode,
      actingFor: demo.actingFor ?? null,
      data,
      delivery,
      idempotencyKey: `seed:${demo.key}`,
    });
    if (!result.created) continue;
    for (const [suffix, action, comment] of demo.steps) {
      const staffId = await findStaffIdByLogin(ctx.db, `${item.departmentCode}.${suffix}`);
      const staff = staffId ? await actorFor(ctx, staffId) : null;
      if (!staff) break;
      await takeAction(ctx, staff, result.id, { action, comment: comment ?? null });
    }
  }
}
