import type { Executor } from '../../platform/db/db.js';
import { checkResidentId } from '../identity/index.js';
import * as repo from './exchange.repository.js';

/**
 * The data products departments share (like X-Road services): each is held by one department, which stays
 * its owner; the platform reads it for a stated purpose and records the read. A product's provider is a port:
 * the sandbox reads seeded tables; a real adapter calls the department's system.
 */
export const productCodes = [
  'person.identity',
  'person.household',
  'person.children',
  'person.exitPermit',
  'enterprise.registration',
  'certificates.issued',
] as const;
export type ProductCode = (typeof productCodes)[number];

export const isProductCode = (value: unknown): value is ProductCode => typeof value === 'string' && (productCodes as readonly string[]).includes(value);

export interface PersonSubject {
  kind: 'person';
  userId: string;
  /** As verified at sign-up; null for an account without one. For a child, the child's (see `childOf`). */
  idNumber: string | null;
  realName: string;
  /** Set when the data read is about a minor child of the person `userId` (their guardian, checked in person.children). */
  childOf?: string | undefined;
}

export interface EnterpriseSubject {
  kind: 'enterprise';
  enterpriseId: string;
  uscc: string;
  name: string;
}

export type ResolvedSubject = PersonSubject | EnterpriseSubject;

export interface DataProduct {
  code: ProductCode;
  /** Department code of the holder; null when each record names its own issuer (certificates). */
  holder: string | null;
  subjects: readonly ('person' | 'enterprise')[];
  fields: readonly string[];
  /**
   * About the person an application is for: when the applicant applies for their minor child, it is read about
   * the child (after person.children has confirmed the applicant is the child's guardian), e.g. the travel permit.
   */
  ofBeneficiary?: boolean;
}

export const dataProducts: Record<ProductCode, DataProduct> = {
  'person.identity': { code: 'person.identity', holder: 'psb', subjects: ['person'], fields: ['realName', 'idNumber', 'sex', 'birthDate'] },
  'person.household': {
    code: 'person.household',
    holder: 'psb',
    subjects: ['person'],
    fields: ['address', 'district', 'addressDetail', 'householdNumber', 'householdHead', 'relationToHead'],
  },
  'person.children': { code: 'person.children', holder: 'psb', subjects: ['person'], fields: ['children'] },
  'person.exitPermit': {
    code: 'person.exitPermit',
    holder: 'psb-exit-entry',
    subjects: ['person'],
    fields: ['permitNumber', 'permitValidUntil', 'exitRestricted'],
    ofBeneficiary: true,
  },
  'enterprise.registration': {
    code: 'enterprise.registration',
    holder: 'amr',
    subjects: ['enterprise'],
    fields: ['name', 'uscc', 'legalRepresentative', 'address', 'registeredCapitalYuan', 'type', 'establishedOn'],
  },
  'certificates.issued': { code: 'certificates.issued', holder: null, subjects: ['person', 'enterprise'], fields: ['certificates'] },
};

/** What a provider returns: every field of the product about the subject, or null when the holder has no record. */
export type ProductData = Record<string, unknown> | null;

/** The port each product is read through. */
export interface ProductProvider {
  read(ex: Executor, subject: ResolvedSubject, now: Date): Promise<ProductData>;
}

// --- shapes of the products' data -------------------------------------------------------------------

export interface PersonIdentity {
  realName: string;
  idNumber: string;
  sex: 'male' | 'female';
  /** YYYY-MM-DD */
  birthDate: string;
}

export interface Child extends PersonIdentity {
  relation: 'mother' | 'father' | 'guardian';
}

/** A travel permit for Hong Kong and Macao (往来港澳通行证) in the exit-entry register, with the holder's exit status. */
export interface ExitPermit {
  permitNumber: string;
  /** YYYY-MM-DD: the last day the permit is valid. */
  permitValidUntil: string;
  /** Barred from leaving the mainland (不准出境). */
  exitRestricted: boolean;
}

export interface EnterpriseRegistration {
  name: string;
  uscc: string;
  legalRepresentative: string;
  address: string;
  registeredCapitalYuan: number;
  type: string;
  /** YYYY-MM-DD */
  establishedOn: string;
}

export interface IssuedCertificate {
  type: string;
  number: string;
  issuedBy: string;
  /** YYYY-MM-DD */
  issuedOn: string;
  validUntil: string | null;
}

/** Where the enterprise register comes from; the enterprise module (issue 4) replaces the sandbox one. */
export interface EnterpriseRegisterSource {
  findByUscc(ex: Executor, uscc: string): Promise<EnterpriseRegistration | null>;
}

/** Certificates issued to a person or company; the certificates module (issue 4) supplies the real one. */
export interface IssuedCertificatesSource {
  listIssued(ex: Executor, subject: ResolvedSubject): Promise<IssuedCertificate[]>;
}

// --- sandbox providers ----------------------------------------------------------------------------

function identityOf(realName: string, idNumber: string, now: Date): PersonIdentity | null {
  const checked = checkResidentId(idNumber, now);
  if (!checked.ok) return null;
  return { realName, idNumber: checked.value.number, sex: checked.value.sex, birthDate: checked.value.birthDate };
}

/** The population system's record, or else the name and number the person verified at sign-up (checked against it then). */
export const sandboxPersonIdentity: ProductProvider = {
  async read(ex, subject, now) {
    if (subject.kind !== 'person' || !subject.idNumber) return null;
    const resident = await repo.findResident(ex, subject.idNumber);
    const identity = identityOf(resident?.realName ?? subject.realName, subject.idNumber, now);
    return identity ? { ...identity } : null;
  },
};

export const sandboxPersonHousehold: ProductProvider = {
  async read(ex, subject) {
    if (subject.kind !== 'person' || !subject.idNumber) return null;
    const r = await repo.findResident(ex, subject.idNumber);
    if (!r) return null;
    return {
      address: `四川省成都市${r.district}${r.addressDetail}`,
      district: r.district,
      addressDetail: r.addressDetail,
      householdNumber: r.householdNumber,
      householdHead: r.householdHead,
      relationToHead: r.relationToHead,
    };
  },
};

export const sandboxPersonChildren: ProductProvider = {
  async read(ex, subject, now) {
    if (subject.kind !== 'person' || !subject.idNumber) return null;
    const rows = await repo.listChildrenOf(ex, subject.idNumber);
    const children: Child[] = rows.flatMap((r) => {
      const identity = identityOf(r.realName, r.idNumber, now);
      return identity ? [{ ...identity, relation: r.relation as Child['relation'] }] : [];
    });
    return { children };
  },
};

/** The exit-entry register (sandbox table); null when the person holds no permit. */
export const sandboxPersonExitPermit: ProductProvider = {
  async read(ex, subject) {
    if (subject.kind !== 'person' || !subject.idNumber) return null;
    const r = await repo.findExitPermit(ex, subject.idNumber);
    if (!r) return null;
    const permit: ExitPermit = { permitNumber: r.permitNumber, permitValidUntil: r.validUntil, exitRestricted: r.exitRestricted };
    return { ...permit };
  },
};

export const sandboxEnterpriseRegister: EnterpriseRegisterSource = {
  async findByUscc(ex, uscc) {
    const r = await repo.findRegistration(ex, uscc);
    if (!r) return null;
    return {
      name: r.name,
      uscc: r.uscc,
      legalRepresentative: r.legalRepresentative,
      address: r.address,
      registeredCapitalYuan: r.registeredCapitalYuan,
      type: r.type,
      establishedOn: r.establishedOn,
    };
  },
};

/** No certificates are issued yet; the certificates module will list them. */
export const noCertificates: IssuedCertificatesSource = { listIssued: async () => [] };

export function enterpriseRegistrationProvider(source: EnterpriseRegisterSource): ProductProvider {
  return {
    async read(ex, subject) {
      if (subject.kind !== 'enterprise') return null;
      const registration = await source.findByUscc(ex, subject.uscc);
      return registration ? { ...registration } : null;
    },
  };
}

export function issuedCertificatesProvider(source: IssuedCertificatesSource): ProductProvider {
  return { read: async (ex, subject) => ({ certificates: await source.listIssued(ex, subject) }) };
}

/** A real department system adapter goes here (e.g. over the city's data-sharing exchange); none is configured yet. */
const sandboxProviders = (): Record<ProductCode, ProductProvider> => ({
  'person.identity': sandboxPersonIdentity,
  'person.household': sandboxPersonHousehold,
  'person.children': sandboxPersonChildren,
  'person.exitPermit': sandboxPersonExitPermit,
  'enterprise.registration': enterpriseRegistrationProvider(sandboxEnterpriseRegister),
  'certificates.issued': issuedCertificatesProvider(noCertificates),
});

let providers = sandboxProviders();

export const providerOf = (code: ProductCode): ProductProvider => providers[code];

/** Replaces the source of one product (issue 4: the enterprise register and issued certificates). */
export function setProductProvider(code: ProductCode, provider: ProductProvider): void {
  providers = { ...providers, [code]: provider };
}

/** Back to the sandbox providers (tests). */
export function resetProductProviders(): void {
  providers = sandboxProviders();
}
