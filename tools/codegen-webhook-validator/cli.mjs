#!/usr/bin/env node
// connect-codegen-webhook-validator <spec> <out.ts>: the metrics webhook validator of @reportei-connect/client/webhooks.
import { runGenerator } from '@reportei-connect/codegen-core';
import { generator } from './generate.mjs';

await runGenerator(generator);
