import type { AppModule } from '../../platform/module.js';
import { exchangeMessages } from './exchange.messages.js';
import { registerExchangeRoutes } from './exchange.routes.js';
import { seedExchange } from './exchange.seed.js';

/**
 * Exchange: data sharing between departments ("once only"). Data products held by departments, read only
 * for a stated purpose (the service applied for), every read recorded and shown to the person on
 * "Who used my data". Other modules use only what is exported here.
 */
export const exchangeModule: AppModule = {
  name: 'exchange',
  messages: exchangeMessages,
  register: registerExchangeRoutes,
  seed: seedExchange,
};

export {
  readData,
  prefillFor,
  prefillLookups,
  userOf,
  childrenOf,
  parsePrefillSource,
  listDataUse,
  type ApplicationCheck,
  type DataUseEntry,
  type PrefillRequest,
  type PrefillResult,
  type PrefillSource,
  type Purpose,
  type ReadOptions,
  type ReadRequest,
  type ReadResult,
  type SubjectRef,
} from './exchange.service.js';
export { accessLogInsertFrom, accessLogJson, insertAccessLogs, type DeferredAccessLogRow } from './exchange.repository.js';
export {
  dataProducts,
  productCodes,
  setProductProvider,
  resetProductProviders,
  enterpriseRegistrationProvider,
  sandboxEnterpriseRegister,
  issuedCertificatesProvider,
  sandboxPersonExitPermit,
  type Child,
  type DataProduct,
  type ExitPermit,
  type EnterpriseRegisterSource,
  type EnterpriseRegistration,
  type IssuedCertificate,
  type IssuedCertificatesSource,
  type PersonIdentity,
  type ProductCode,
  type ProductProvider,
  type ResolvedSubject,
} from './exchange.products.js';
