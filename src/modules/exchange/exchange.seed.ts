import type { AppContext } from '../../platform/context.js';
import * as repo from './exchange.repository.js';

/**
 * What the sandbox department systems hold about the demo people and company. The population system is
 * keyed by resident ID number and the register by USCC, as the real ones are, so these are the identity
 * module's demo ID numbers (13800000001 … 13800000004) and demo company.
 */
export const demoResidents = [
  {
    // 张丽, 13800000001, a mother; head of her household in Wuhou.
    idNumber: '510107198503120028',
    realName: '张丽',
    householdNumber: '510107012345',
    district: '武侯区',
    addressDetail: '玉林街道玉林北路12号3栋2单元501号',
    householdHead: '张丽',
    relationToHead: '户主',
  },
  {
    // Her son, born 2016-05-20: under 16, so the endorsement journey applies to him through her.
    idNumber: '510107201605200031',
    realName: '刘子轩',
    householdNumber: '510107012345',
    district: '武侯区',
    addressDetail: '玉林街道玉林北路12号3栋2单元501号',
    householdHead: '张丽',
    relationToHead: '子',
  },
  {
    // 王芳, 13800000002, a villager in Pengzhou; her father heads the household.
    idNumber: '510182199002150047',
    realName: '王芳',
    householdNumber: '510182067890',
    district: '彭州市',
    addressDetail: '小鱼洞镇杨坪村5组28号',
    householdHead: '王德明',
    relationToHead: '女',
  },
  {
    // 李强, 13800000003, accountant of the demo company.
    idNumber: '510104198807210031',
    realName: '李强',
    householdNumber: '510104023456',
    district: '锦江区',
    addressDetail: '春熙路街道总府路8号1栋1单元1203号',
    householdHead: '李强',
    relationToHead: '户主',
  },
  {
    // 陈建国, 13800000004, legal representative of the demo company.
    idNumber: '51010519750608001X',
    realName: '陈建国',
    householdNumber: '510105034567',
    district: '青羊区',
    addressDetail: '少城街道宽巷子16号',
    householdHead: '陈建国',
    relationToHead: '户主',
  },
] as const;

export const demoGuardianships = [{ guardianIdNumber: '510107198503120028', childIdNumber: '510107201605200031', relation: 'mother' as const }];

export const demoRegistrations = [
  {
    uscc: '91510107MA6CBX7Q6L',
    name: '成都蜀锦商贸有限公司',
    legalRepresentative: '陈建国',
    address: '四川省成都市武侯区人民南路四段12号6栋1单元803号',
    registeredCapitalYuan: 1_000_000,
    type: '有限责任公司（自然人投资或控股）',
    establishedOn: '2019-03-18',
  },
];

/**
 * The exit-entry register's travel permits (往来港澳通行证, 'C' and eight digits). 张丽 and her son hold valid
 * permits (a repeat tourism endorsement for either is approved by the system); 王芳's expired; 陈建国's is valid
 * but he may not leave the mainland (不准出境, e.g. over his company's unpaid tax); 李强 holds none. The last
 * three go to the exit-entry staff.
 */
export const demoExitPermits = [
  { idNumber: '510107198503120028', permitNumber: 'C10573421', validUntil: '2031-04-14', exitRestricted: false },
  { idNumber: '510107201605200031', permitNumber: 'C20981736', validUntil: '2028-08-09', exitRestricted: false },
  { idNumber: '510182199002150047', permitNumber: 'C08812345', validUntil: '2024-03-01', exitRestricted: false },
  { idNumber: '51010519750608001X', permitNumber: 'C11220334', validUntil: '2030-01-19', exitRestricted: true },
];

/** Writes the sandbox records; rows that exist are left alone, so running it twice changes nothing. */
export async function seedExchange(ctx: AppContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await repo.upsertResidents(tx, [...demoResidents]);
    await repo.upsertGuardianships(tx, demoGuardianships);
    await repo.upsertRegistrations(tx, demoRegistrations);
    await repo.upsertExitPermits(tx, demoExitPermits);
  });
}
