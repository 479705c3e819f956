import type { ResolvedTarget } from '../../src/target.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server under test and how to reach it: the suite's own mock, CONNECT_BASE_URL, or the sandbox. */
    target: ResolvedTarget;
  }
}
