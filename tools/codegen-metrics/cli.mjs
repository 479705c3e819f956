#!/usr/bin/env node
// connect-codegen-metrics <spec> <out dir> [--payloads <dir>]: the metrics catalogue of @reportei-connect/metrics.
import { runGenerator } from '@reportei-connect/codegen-core';
import { generator } from './generate.mjs';

await runGenerator(generator);
