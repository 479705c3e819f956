#!/usr/bin/env node
// `connect-cts-declarations <dir>`: beside every `.d.ts` file under <dir>, writes its CommonJS twin
// (`.d.cts`), whose relative imports name the `.cjs` files. A package built to both ESM (`.js`) and
// CommonJS (`.cjs`) needs both: TypeScript reads a `require` of the package through the `.d.cts` files
// and would otherwise see ES modules it cannot require. tsc emits only the `.d.ts` files.
import { writeCommonJsTwins } from './declarations.mjs';

const [dir, ...rest] = process.argv.slice(2);
if (!dir || rest.length > 0) {
  console.error('Usage: connect-cts-declarations <dir>');
  process.exitCode = 2;
} else if ((await writeCommonJsTwins(dir)) === 0) {
  console.error(`connect-cts-declarations: no .d.ts file under ${dir}: emit the declarations first (connect-tsc -p tsconfig.build.json).`);
  process.exitCode = 1;
}
