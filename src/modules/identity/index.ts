import type { AppModule } from '../../platform/module.js';

// PLACEHOLDER: sign-up, sign-in, sessions, staff, enterprises.
export const identityModule: AppModule = {
  name: 'identity',
  authenticate: () => async () => undefined,
  async register() {},
};
