import type { ResolvedTarget } from '../../src/target.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server under test and how to reach it: the suite's own mock, CONNECT_BASE_URL, or the sandbox. */
    target: ResolvedTarget;
    /**
     * The URL of the mock the `contract` project started, to every project of the run (the self test
     * builds its broken server on it); undefined when that project is not in the run or tests another server.
     */
    mockUrl?: string;
  }
}
