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
  // Prism listens in a second or two, but far later when other suites hold both cores.
  const mock = await startMock({ readyTimeoutMs: 120_000 });
  project.provide('mockUrl', mock.url);
  return () => mock.stop();
}
