#!/usr/bin/env node
// connect-codegen-client <spec> <out.ts>: the operation table of @reportei-connect/client.
import { runGenerator } from '@reportei-connect/codegen-core';
import { generator } from './generate.mjs';

await runGenerator(generator);
