#!/usr/bin/env node
// connect-codegen-types <spec> <out.ts>: the TypeScript types of @reportei-connect/types, by openapi-typescript.
import { runGenerator } from '@reportei-connect/codegen-core';
import { generator } from './generate.mjs';

await runGenerator(generator);
