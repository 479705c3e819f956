import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { INTEGRATION_STATUSES, STATE_FORMAT, STATE_VERSION, type StateData } from './store.js';

/** A `--state` file that cannot be used: unreadable, not JSON, or not a sandbox state. */
export class SandboxStateError extends Error {
  override name = 'SandboxStateError';
}

/**
 * Reads a state file. Answers undefined when the file does not exist (the sandbox then starts from
 * its seed and creates it); throws a SandboxStateError, saying what is wrong, for anything else that
 * keeps it from being read, so that a damaged file is never silently replaced by an empty sandbox.
 */
export function readState(file: string): StateData | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SandboxStateError(`Cannot read the state file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SandboxStateError(
      `The state file ${file} is not valid JSON (${(error as Error).message}). Move it away to start from the seed, or restore a backup.`,
    );
  }
  const problem = stateProblem(data);
  if (problem) {
    throw new SandboxStateError(`The state file ${file} is not a connect-sandbox state: ${problem}. Move it away to start from the seed, or restore a backup.`);
  }
  return data as StateData;
}

/**
 * Writes the state atomically: to a temporary file in the same folder, flushed to disk, then renamed
 * over the old one. A process killed at any moment leaves either the old file or the new one.
 */
export function writeState(file: string, data: StateData): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const descriptor = openSync(temporary, 'w', 0o600);
  try {
    writeSync(descriptor, JSON.stringify(data));
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(descriptor);
  renameSync(temporary, file);
}

/**
 * Removes the temporary files of writes that never finished (their process was killed before the
 * rename). Files of processes still running are left alone.
 */
export function removeStaleTemporaryFiles(file: string): void {
  const prefix = `.${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -'.tmp'.length)) : Number.NaN;
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    rmSync(join(dirname(file), name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
const isText = (value: unknown) => typeof value === 'string' && value.length > 0;

type Check = (value: unknown) => boolean;
const shapes: Record<'merchant' | 'customers' | 'integrations' | 'sessions', Record<string, Check>> = {
  merchant: { uuid: isText, name: isText, createdAt: isTime, updatedAt: isTime },
  customers: {
    uuid: isText,
    name: (value) => typeof value === 'string',
    apiToken: isText,
    createdAt: isTime,
    updatedAt: isTime,
    trialEndsAt: isTime,
    isPaying: (value) => typeof value === 'boolean',
  },
  integrations: {
    uuid: isText,
    customer: isText,
    slug: isText,
    sourceName: (value) => typeof value === 'string',
    status: (value) => (INTEGRATION_STATUSES as unknown[]).includes(value),
    createdAt: isTime,
    updatedAt: isTime,
  },
  sessions: { uuid: isText, customer: isText, createdAt: isTime, expiresAt: isTime },
};

function recordProblem(record: unknown, kind: keyof typeof shapes, where: string): string | undefined {
  if (!isObject(record)) return `${where} is not an object`;
  for (const [key, check] of Object.entries(shapes[kind])) if (!check(record[key])) return `${where}.${key} is missing or invalid`;
  return undefined;
}

/** What makes `data` unusable as a state, or undefined when it is usable. */
function stateProblem(data: unknown): string | undefined {
  if (!isObject(data)) return 'it is not a JSON object';
  if (data.format !== STATE_FORMAT) return `its "format" is not "${STATE_FORMAT}"`;
  if (data.version !== STATE_VERSION) return `it has version ${JSON.stringify(data.version)}, and this sandbox reads version ${STATE_VERSION}`;
  if (typeof data.seed !== 'string') return '"seed" is missing';
  if (!Number.isInteger(data.sequence) || (data.sequence as number) < 0) return '"sequence" is missing or invalid';
  if (!isTime(data.clockOffsetMs)) return '"clockOffsetMs" is missing or invalid';
  const merchant = recordProblem(data.merchant, 'merchant', 'merchant');
  if (merchant) return merchant;
  for (const kind of ['customers', 'integrations', 'sessions'] as const) {
    const list = data[kind];
    if (!Array.isArray(list)) return `"${kind}" is not a list`;
    for (const [index, record] of list.entries()) {
      const problem = recordProblem(record, kind, `${kind}[${index}]`);
      if (problem) return problem;
    }
  }
  const customers = new Set((data.customers as { uuid: string }[]).map((customer) => customer.uuid));
  if (customers.size !== (data.customers as unknown[]).length) return 'two customers share a uuid';
  for (const [index, integration] of (data.integrations as { customer: string }[]).entries()) {
    if (!customers.has(integration.customer)) return `integrations[${index}] belongs to no customer`;
  }
  if (!isObject(data.demo) || !isText(data.demo.customer) || !isText(data.demo.token) || !isText(data.demo.integration)) return '"demo" is missing or invalid';
  return undefined;
}
