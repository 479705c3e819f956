#!/usr/bin/env node
// connect-codegen-samples <spec> <out.json>: the document with cURL and TypeScript samples on every operation.
import { runGenerator } from '@reportei-connect/codegen-core';
import { generator } from './generate.mjs';

await runGenerator(generator);
