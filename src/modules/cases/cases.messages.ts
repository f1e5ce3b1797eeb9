import type { MessageBundle } from '../../platform/i18n/i18n.js';

/** Messages of the case service, API and notices. */
export const casesMessages = {
  'zh-CN': {},
  en: {},
} satisfies MessageBundle;
