import type { AppModule } from '../../platform/module.js';
import { catalogMessages } from './catalog.messages.js';
import { registerCatalogRoutes } from './catalog.routes.js';
import { seedCatalog } from './catalog.service.js';

/** The service catalogue: departments, life events, service items with immutable versions, public and staff pages. */
export const catalogModule: AppModule = {
  name: 'catalog',
  messages: catalogMessages,
  register: registerCatalogRoutes,
  seed: (ctx) => seedCatalog(ctx.db),
};

export {
  cachedCurrentItem,
  getCurrentItem,
  getItemVersion,
  listDepartments,
  listLifeEvents,
  findServices,
  seedCatalog,
  type CatalogItem,
} from './catalog.service.js';
export { departmentSeed, type DepartmentSeed } from './catalog.seed-departments.js';
export { itemSeed, type ItemSeed } from './catalog.seed-items.js';
export { setApplyPath, applyPathOf } from './catalog.apply-paths.js';
export { checkFormDefinition, checkWorkflowDefinition, defaultWorkflow } from './catalog.definitions.js';
export type {
  ApplicantKind,
  DeliveryOption,
  FormDefinition,
  FormFieldUi,
  ItemContent,
  Material,
  TimeLimit,
  TimeUnit,
  WorkflowAction,
  WorkflowDefinition,
  WorkflowState,
  AutoDecisionRule,
  FieldWidget,
  WorkflowActor,
} from './catalog.types.js';
