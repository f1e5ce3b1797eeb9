import type { TestProject } from 'vitest/node';
import { startApp } from './app.js';
import { hasChromium, skipMessage } from './browser.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the app under test; empty when the browser tests are skipped. */
    baseUrl: string;
    demoPassword: string;
  }
}

/** Starts one app for the whole browser suite (seeding takes seconds), unless there is no browser. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!hasChromium) {
    console.warn(`\n${skipMessage}\n`);
    project.provide('baseUrl', '');
    project.provide('demoPassword', '');
    return undefined;
  }
  const app = await startApp();
  project.provide('baseUrl', app.url);
  project.provide('demoPassword', app.demoPassword);
  return () => app.close();
}
