#!/usr/bin/env node
// `connect-tsc <tsc arguments>`: TypeScript 7's native compiler, which type-checks a package of this
// workspace in about a second where TypeScript 5 took ten or more. Every package's lint, and the
// declarations of the published packages, go through this one bin, so one version checks the whole
// workspace. Packages that use TypeScript's JavaScript API (the release tools, a few tests)
// keep their own `typescript` 5 dependency: version 7 has no stable API yet.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// TypeScript's own bin reads process.argv and runs the native compiler for its platform; importing it
// here saves starting a second Node.js.
const require = createRequire(import.meta.url);
await import(pathToFileURL(join(dirname(require.resolve('typescript/package.json')), 'lib', 'tsc.js')).href);
