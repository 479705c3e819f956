#!/usr/bin/env node
// Generates the operation table of @reportei-connect/client from the bundled spec.
// Usage: node tools/codegen-client/cli.mjs <spec specifier or file> <out.ts>
import { RefError } from '@reportei-connect/openapi/refs';
import { CodegenError, generateOperations } from './generate.mjs';
import { parseArgs, readSpec, writeGenerated } from './io.mjs';

const [specifier, outFile] = parseArgs('tools/codegen-client');
try {
  writeGenerated(outFile, 'tools/codegen-client', specifier, generateOperations(readSpec(specifier).document));
} catch (error) {
  if (!(error instanceof CodegenError || error instanceof RefError)) throw error;
  console.error(`tools/codegen-client: ${error.message}`);
  process.exit(1);
}
