import type { AppModule } from '../../../platform/module.js';
import { open311Messages } from './open311.messages.js';
import { registerOpen311 } from './open311.routes.js';
import { seedOpen311, DEMO_API_KEY } from './open311.seed.js';

/** Open311 GeoReport v2 over the hall (see README.md). */
export const open311Module: AppModule = {
  name: 'open311',
  messages: open311Messages,
  register: registerOpen311,
  seed: seedOpen311,
  demoAccounts: () => [`Open311 api_key (demo client): ${DEMO_API_KEY}  — http://…/open311/v2/discovery.json`],
};

export { issueApiKey, revokeApiKey, listApiClients, JURISDICTION_ID } from './open311.service.js';
