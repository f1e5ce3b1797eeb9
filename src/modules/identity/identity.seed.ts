import type { AppContext } from '../../platform/context.js';
import type { StaffRole } from '../../platform/auth/actor.js';
import { departmentSeed } from '../catalog/catalog.seed-departments.js';
import * as repo from './identity.repository.js';
import { hashPassword } from './identity.crypto.js';

/**
 * Demo people. The ID numbers are made up but valid (region, birth date, check character), and the sequence
 * digit matches the sex; the company's USCC has valid check characters (GB 11714 body and GB 32100).
 */
export const demoCitizens = [
  { phone: '13800000001', realName: '张丽', idNumber: '510107198503120028', about: 'citizen (a mother)' },
  { phone: '13800000002', realName: '王芳', idNumber: '510182199002150047', about: 'citizen (a villager, Pengzhou)' },
  { phone: '13800000003', realName: '李强', idNumber: '510104198807210031', about: 'accountant of 成都蜀锦商贸有限公司' },
  { phone: '13800000004', realName: '陈建国', idNumber: '51010519750608001X', about: 'legal representative of 成都蜀锦商贸有限公司' },
] as const;

export const demoCompany = { uscc: '91510107MA6CBX7Q6L', name: '成都蜀锦商贸有限公司' } as const;

const staffKinds: { suffix: string; role: StaffRole; zh: string }[] = [
  { suffix: 'clerk', role: 'clerk', zh: '受理员' },
  { suffix: 'reviewer', role: 'reviewer', zh: '审核员' },
  { suffix: 'approver', role: 'approver', zh: '审批员' },
  { suffix: 'admin', role: 'dept_admin', zh: '管理员' },
];

/** Departments that run buses and have a demo operator sign-in `<code>.operator`. */
export const transitOperatorDepartments = ['bus-group', 'xinjin-transport'] as const;

export function demoStaff(): { login: string; realName: string; departmentCode: string; role: StaffRole }[] {
  const staff = departmentSeed.flatMap((d) =>
    staffKinds.map((k) => ({ login: `${d.code}.${k.suffix}`, realName: `${d.nameZh}${k.zh}`, departmentCode: d.code, role: k.role })),
  );
  // Transport operators (transit): their units post vehicle positions with this sign-in's API token.
  const operators = transitOperatorDepartments.flatMap((code) => {
    const d = departmentSeed.find((x) => x.code === code);
    return d ? [{ login: `${code}.operator`, realName: `${d.nameZh}调度员`, departmentCode: code, role: 'operator' as const }] : [];
  });
  return [...staff, ...operators, { login: 'admin', realName: '平台管理员', departmentCode: 'gov-service', role: 'platform_admin' }];
}

/** Writes the demo accounts; rows that exist are left alone, so running it twice changes nothing. */
export async function seedIdentity(ctx: AppContext): Promise<void> {
  const staff = demoStaff();
  const [knownStaff, knownCitizens] = await Promise.all([
    repo.userIdsByLogin(
      ctx.db,
      staff.map((s) => s.login),
    ),
    repo.userIdsByPhone(
      ctx.db,
      demoCitizens.map((c) => c.phone),
    ),
  ]);
  const complete = knownStaff.size === staff.length && knownCitizens.size === demoCitizens.length;
  // One hash for every demo account: argon2id is deliberately slow, and they share the password anyway.
  const passwordHash = complete ? '' : await hashPassword(ctx.config.demoPassword, ctx.config.argon2MemoryKib);
  await ctx.db.transaction(async (tx) => {
    if (!complete) {
      await repo.insertUsersIfAbsent(
        tx,
        demoCitizens.map((c) => ({ kind: 'citizen' as const, phone: c.phone, realName: c.realName, idNumber: c.idNumber, passwordHash })),
      );
      await repo.insertUsersIfAbsent(
        tx,
        staff.map((s) => ({ kind: 'staff' as const, login: s.login, realName: s.realName, departmentCode: s.departmentCode, passwordHash })),
      );
    }
    const staffIds = await repo.userIdsByLogin(
      tx,
      staff.map((s) => s.login),
    );
    await repo.insertRolesIfAbsent(
      tx,
      staff.flatMap((s) => {
        const userId = staffIds.get(s.login);
        return userId ? [{ userId, role: s.role }] : [];
      }),
    );
    const citizenIds = await repo.userIdsByPhone(
      tx,
      demoCitizens.map((c) => c.phone),
    );
    const enterpriseId = await repo.insertEnterpriseIfAbsent(tx, demoCompany.uscc, demoCompany.name);
    const legalRep = citizenIds.get('13800000004');
    const accountant = citizenIds.get('13800000003');
    await repo.insertMembersIfAbsent(tx, [
      ...(legalRep ? [{ enterpriseId, userId: legalRep, role: 'legal_representative' as const }] : []),
      ...(accountant ? [{ enterpriseId, userId: accountant, role: 'accountant' as const }] : []),
    ]);
  });
}

/** The lines printed at start. */
export function demoAccountLines(ctx: AppContext): string[] {
  return [
    `Citizens (sign in at /sign-in): 13800000001 (${demoCitizens[0].realName}), 13800000002 (${demoCitizens[1].realName})`,
    `Company accountant: 13800000003 (${demoCitizens[2].realName}, ${demoCompany.name}, USCC ${demoCompany.uscc}); legal representative 13800000004`,
    `Staff (sign in at /staff): <department code>.clerk | .reviewer | .approver | .admin, e.g. psb-exit-entry.clerk, tax.admin`,
    `Transport operators (API token for vehicle positions): bus-group.operator, xinjin-transport.operator`,
    `Platform admin: admin`,
    `Password for every demo account: ${ctx.config.demoPassword}${ctx.config.staffTotpRequired ? ' (staff also enrol a TOTP authenticator at first sign-in; STAFF_TOTP_REQUIRED=false switches it off)' : ''}`,
  ];
}
