import type { AppModule } from '../../platform/module.js';
import type { AppContext } from '../../platform/context.js';
import { setApplyPath } from '../catalog/index.js';
import { enterpriseRegistrationProvider, sandboxEnterpriseRegister, setProductProvider, type EnterpriseRegisterSource } from '../exchange/index.js';
import { enterpriseMessages } from './enterprise.messages.js';
import * as repo from './enterprise.repository.js';
import { registerEnterpriseRoutes } from './enterprise.routes.js';
import { approvedEvent, completeApplication, fullAddress, seedEnterprise } from './enterprise.service.js';

const registered = new WeakSet<object>();

/** The outbox handler: an approval registers the company (or the change) and issues the licence, once. */
function registerEnterpriseEvents(ctx: AppContext): void {
  if (registered.has(ctx.outbox)) return;
  registered.add(ctx.outbox);
  ctx.outbox.on(approvedEvent, 'enterprise.register', (event, tx) => completeApplication(ctx, tx, String(event.payload.applicationId)));
}

/**
 * The enterprise register as the exchange module's `enterprise.registration` product. A company not (yet) in
 * this register is looked up in the exchange's sandbox register, which held the demo data before this module.
 */
export const enterpriseRegister: EnterpriseRegisterSource = {
  async findByUscc(ex, uscc) {
    const c = await repo.findCompanyByUscc(ex, uscc);
    if (!c) return sandboxEnterpriseRegister.findByUscc(ex, uscc);
    if (c.status !== 'active') return null;
    return {
      name: c.name,
      uscc: c.uscc,
      legalRepresentative: c.legalRepresentative.name,
      address: fullAddress(c),
      registeredCapitalYuan: c.registeredCapitalYuan,
      type: c.entityType,
      establishedOn: c.establishedOn,
    };
  },
};

/**
 * Enterprise registration: name declaration (名称自主申报), establishment (设立登记) with every person's
 * confirmation, change registration (变更登记, straight-through where the rules allow), the electronic
 * business licence through the certificates module, and the public register (公示).
 */
export const enterpriseModule: AppModule = {
  name: 'enterprise',
  messages: enterpriseMessages,
  async register(app, ctx) {
    registerEnterpriseEvents(ctx);
    setProductProvider('enterprise.registration', enterpriseRegistrationProvider(enterpriseRegister));
    // The catalogue's registration items start this module's journeys.
    setApplyPath('company-establishment', '/enterprise/names/new');
    setApplyPath('business-scope-change', '/enterprise');
    await registerEnterpriseRoutes(app, ctx);
  },
  async defineJobs(ctx) {
    registerEnterpriseEvents(ctx);
  },
  seed: seedEnterprise,
  demoAccounts: () => [
    'Enterprise registration (/enterprise): declare a name and register a company as 13800000001; each person named confirms by signing in; amr.clerk accepts and amr.approver approves; 13800000004 changes 成都蜀锦商贸有限公司 at /enterprise/companies/91510107MA6CBX7Q6L/change; public register at /enterprises',
  ],
};

export { checkName, declareName, submitEstablishment, submitChange, demoCompany } from './enterprise.service.js';
export { usccFor, orgCodeCheckChar } from './enterprise.rules.js';
