#!/usr/bin/env node
// Generates the metrics webhook validator of @reportei-connect/client/webhooks from the bundled spec.
// Usage: node tools/codegen-webhook-validator/cli.mjs <spec specifier or file> <out.ts>
import { parseArgs, readSpec, writeGenerated } from '../codegen-client/io.mjs';
import { CodegenError, generateWebhookValidator } from './generate.mjs';

const tool = 'tools/codegen-webhook-validator (Ajv 8.20.0 standalone)';
const [specifier, outFile] = parseArgs('tools/codegen-webhook-validator');
try {
  writeGenerated(outFile, tool, specifier, generateWebhookValidator(readSpec(specifier).document));
} catch (error) {
  if (!(error instanceof CodegenError)) throw error;
  console.error(`tools/codegen-webhook-validator: ${error.message}`);
  process.exit(1);
}
