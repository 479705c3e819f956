#!/usr/bin/env node
// Usage (from a package that depends on @reportei-connect/openapi): node <this file> <out dir>
// Generates the metrics catalogue modules from the payload data that @reportei-connect/openapi ships.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { loadIntegrations, writeModules } from './generate.mjs';

const [outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('Usage: node tools/codegen-metrics/cli.mjs <out dir>');
  process.exit(2);
}

// Resolve the spec package the way the calling package sees it (its own dependency), not from tools/.
const require = createRequire(join(process.cwd(), 'package.json'));
const specRoot = dirname(require.resolve('@reportei-connect/openapi/package.json'));
const spec = JSON.parse(readFileSync(require.resolve('@reportei-connect/openapi/openapi.json'), 'utf8'));
const schemas = spec.components?.schemas ?? {};
const components = schemas.MetricComponent?.enum;
const referenceKeyPattern = schemas.MetricRequest?.properties?.reference_key?.pattern;
if (!Array.isArray(components) || typeof referenceKeyPattern !== 'string') {
  throw new Error(
    'The bundled spec lacks components.schemas.MetricComponent.enum or MetricRequest.properties.reference_key.pattern; build @reportei-connect/openapi first.',
  );
}

const integrations = loadIntegrations(join(specRoot, 'payloads'), {
  components,
  referenceKeyPattern: new RegExp(referenceKeyPattern, 'u'),
});
writeModules(integrations, resolve(outDir), '@reportei-connect/openapi/payloads');
const total = integrations.reduce((sum, i) => sum + i.definitions.length, 0);
console.log(`codegen-metrics: ${integrations.length} integrations, ${total} reference keys -> ${outDir}`);
