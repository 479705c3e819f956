import { startMock } from '@reportei-connect/mock';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Prism mock of the bundled spec, started once for the whole run. */
    mockUrl: string;
  }
}

// Runs in Node, outside the DOM environment of the tests, which Prism's launcher does not expect.
export default async function setup(project: TestProject) {
  const mock = await startMock();
  project.provide('mockUrl', mock.url);
  return () => mock.stop();
}
