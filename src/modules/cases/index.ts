import type { AppModule } from '../../platform/module.js';
import { mergeBundles } from '../../platform/i18n/i18n.js';
import { casesMessages } from './cases.messages.js';
import { casePageMessages } from './cases.page-messages.js';
import { registerCaseApi } from './cases.api.js';
import { registerCasePages } from './cases.pages.js';

/** Applications: submission, workflow execution, SLA clock, correction notices, payment, delivery, ratings. */
export const casesModule: AppModule = {
  name: 'cases',
  messages: mergeBundles(casesMessages, casePageMessages),
  async register(app, ctx) {
    await registerCaseApi(app, ctx);
    await registerCasePages(app, ctx);
  },
};
