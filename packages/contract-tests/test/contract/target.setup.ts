import { startMock } from '@reportei-connect/mock';
import type { TestProject } from 'vitest/node';
import { describeTarget, targetFromEnv } from '../../src/target.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the server under test: the suite's own mock, or CONNECT_BASE_URL. */
    targetBaseUrl: string;
  }
}

/** Starts the mock once for the whole run, unless CONNECT_BASE_URL names another server. */
export default async function setup(project: TestProject) {
  const config = targetFromEnv();
  if (config.baseUrl) {
    console.log(describeTarget(config));
    project.provide('targetBaseUrl', config.baseUrl);
    return;
  }
  const mock = await startMock();
  console.log(describeTarget({ ...config, baseUrl: mock.url }));
  project.provide('targetBaseUrl', mock.url);
  return () => mock.stop();
}
