#!/usr/bin/env node
// Generates the TypeScript types of the API (`paths`, `components`, `operations`, `webhooks`) with
// openapi-typescript, for packages/types. Usage: node tools/codegen-types/cli.mjs <spec> <out.ts>
import openapiTS, { astToString } from 'openapi-typescript';
import { parseArgs, readSpec, writeGenerated } from '../codegen-client/io.mjs';

const tool = 'tools/codegen-types (openapi-typescript 7.13.0)';
const [specifier, outFile] = parseArgs('tools/codegen-types');
const { document } = readSpec(specifier);
// emptyObjectsUnknown: a bare `type: object` (such as MetricRequest.custom) means "any object", not `Record<string, never>`.
const ast = await openapiTS(document, { silent: true, emptyObjectsUnknown: true });
writeGenerated(outFile, tool, specifier, astToString(ast));
