import type { AppModule } from '../../platform/module.js';
import { mergeBundles } from '../../platform/i18n/i18n.js';
import { casesMessages } from './cases.messages.js';
import { casePageMessages } from './cases.page-messages.js';
import { registerCaseApi } from './cases.api.js';
import { registerCaseCache } from './cases.cache.js';
import { registerCasePages } from './cases.pages.js';
import { registerCaseEvents, registerMaterialPolicy } from './cases.events.js';
import { defineCaseJobs } from './cases.jobs.js';
import { seedCases } from './cases.seed.js';

/** Applications: submission, workflow execution, SLA clock, correction notices, payment, delivery, ratings. */
export const casesModule: AppModule = {
  name: 'cases',
  messages: mergeBundles(casesMessages, casePageMessages),
  async register(app, ctx) {
    // Handlers are registered wherever the app runs, so an event dispatched by this process finds them.
    registerCaseEvents(ctx);
    registerMaterialPolicy(ctx);
    registerCaseCache(app, ctx);
    await registerCaseApi(app, ctx);
    await registerCasePages(app, ctx);
  },
  defineJobs: defineCaseJobs,
  seed: seedCases,
};

export {
  submitApplication,
  saveDraft,
  getDraft,
  deleteDraft,
  getApplication,
  listMyApplications,
  takeAction,
  withdrawApplication,
  resubmitApplication,
  startPayment,
  setDelivery,
  attachMaterial,
  rateApplication,
  lookupStatus,
  listQueue,
  claimApplication,
  assignApplication,
  listAssignableStaff,
  addInternalNote,
  addPublicComment,
  listFollowUps,
  closeFollowUp,
  listShipments,
  listCalendar,
  setCalendarDay,
  deleteCalendarDay,
  caseStatuses,
  type ApplicationDetail,
  type ApplicationSummary,
  type TimelineEntryView,
  type PublicStatus,
  type DraftView,
  type CaseStatus,
  type CorrectionItem,
  type DeliveryChoice,
} from './cases.service.js';
export { validateFormData, visibleFields, formFields, fileFields, normalizeFormData, isFieldVisible, type FormErrors, type FormField } from './cases.forms.js';
