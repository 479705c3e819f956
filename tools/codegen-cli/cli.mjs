#!/usr/bin/env node
// connect-codegen-cli <spec> <out.ts>: the command table of @reportei-connect/cli.
import { runGenerator } from '@reportei-connect/codegen-core';
import { generator } from './generate.mjs';

await runGenerator(generator);
