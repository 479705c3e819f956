// The metric payload catalogue (`spec/payloads/<integration>/{metrics.json,setup.json}`), read one way.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObject, SpecModelError, type AnyObject } from './refs.js';

/**
 * One ready-made metric request of the catalogue, as the data writes it: `reference_key`, `component`,
 * `metrics` and options such as `dimensions` or `type`. Not checked here: its consumers hold it against
 * the spec's `MetricRequest` schema.
 */
export type PayloadEntry = AnyObject;

export interface PayloadIntegration {
  /** The folder's name: `facebook_ads`. */
  slug: string;
  /** The integration's folder. */
  dir: string;
  /** Its `metrics.json`. */
  file: string;
  /** The entries of `metrics.json`, in file order, duplicates included (some files call the list `widgets`). */
  entries: PayloadEntry[];
  /** Its `setup.json` (the metrics and dimensions on offer) as written, when there is one. */
  setup: AnyObject | undefined;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SpecModelError(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** One integration of the catalogue in `dir` (the `payloads` folder), or undefined when it has no folder. */
export function loadPayload(dir: string, slug: string): PayloadIntegration | undefined {
  const folder = join(dir, slug);
  const file = join(folder, 'metrics.json');
  if (!existsSync(file)) return undefined;
  const data = readJson(file);
  const entries = isObject(data) ? (data.metrics ?? data.widgets) : undefined;
  if (!Array.isArray(entries)) throw new SpecModelError(`${file} has neither a "metrics" nor a "widgets" array.`);
  const setupFile = join(folder, 'setup.json');
  const setup = existsSync(setupFile) ? readJson(setupFile) : undefined;
  if (setup !== undefined && !isObject(setup)) throw new SpecModelError(`${setupFile} is not a JSON object.`);
  return { slug, dir: folder, file, entries, setup };
}

/** Every integration of the catalogue in `dir` (the `payloads` folder): one per folder, sorted by slug. */
export function loadPayloads(dir: string): PayloadIntegration[] {
  const slugs = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  if (slugs.length === 0) throw new SpecModelError(`No integration folders in ${dir}.`);
  return slugs.map((slug) => {
    const integration = loadPayload(dir, slug);
    if (!integration) throw new SpecModelError(`${join(dir, slug)} has no metrics.json.`);
    return integration;
  });
}
