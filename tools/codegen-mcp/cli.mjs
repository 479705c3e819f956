#!/usr/bin/env node
// connect-codegen-mcp <spec> <out-dir>: the tool table of @reportei-connect/mcp.
import { runGenerator } from '@reportei-connect/codegen-core';
import { generator } from './generate.mjs';

await runGenerator(generator);
