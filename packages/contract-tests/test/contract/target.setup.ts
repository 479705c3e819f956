import { startMock } from '@reportei-connect/mock';
import type { TestProject } from 'vitest/node';
import { describeTarget, targetFromEnv } from '../../src/target.js';
import './provided.js';

/**
 * The `contract` project's target: its own mock, started once for the whole run, unless CONNECT_BASE_URL
 * names another server. The mock is offered to the run's other projects too (`mockUrl`): Prism is
 * stateless, and one start costs seconds.
 */
export default async function setup(project: TestProject) {
  const config = targetFromEnv();
  if (config.baseUrl) {
    console.log(describeTarget(config));
    project.provide('target', { ...config, baseUrl: config.baseUrl });
    return;
  }
  const mock = await startMock();
  console.log(describeTarget({ ...config, baseUrl: mock.url }));
  project.provide('target', { ...config, baseUrl: mock.url });
  project.vitest.provide('mockUrl', mock.url);
  return () => mock.stop();
}
