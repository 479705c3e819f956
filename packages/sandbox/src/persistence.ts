import { closeSync, fsyncSync, ftruncateSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { INTEGRATION_STATUSES, type StoreData, type StoreOp } from './store.js';
import type { WebhookDelivery } from './webhooks.js';

/**
 * A `--state` file: a snapshot (`state.json`, JSON, written whole and atomically) and a journal beside
 * it (`state.json.journal`, one JSON line per change, appended and flushed to disk before the change
 * is answered). A write costs one line, whatever the data; once the journal outgrows the snapshot, the
 * two are compacted into a new snapshot. A process killed at any moment leaves the last acknowledged
 * change readable: the snapshot is replaced by a rename, a journal line is acknowledged only once on
 * disk, and a torn last line (never acknowledged) is ignored.
 */

/** A `--state` file that cannot be used: unreadable, not JSON, not a sandbox state, or held by another process. */
export class SandboxStateError extends Error {
  override name = 'SandboxStateError';
}

export const STATE_FORMAT = 'connect-sandbox-state';
/** Version 2 adds the token secret, the journal's generation and the webhook deliveries; version 1 files are read too. */
export const STATE_VERSION = 2;
const READABLE_VERSIONS: readonly number[] = [1, STATE_VERSION];
const JOURNAL_FORMAT = 'connect-sandbox-journal';
/** The journal is compacted once it is larger than the snapshot, and than this. */
const MIN_COMPACTION_BYTES = 1024 * 1024;

/** The whole state, as a snapshot writes it. */
export interface StateData extends StoreData {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  /** Which journal continues this snapshot: a journal of another generation is one already compacted into it. */
  generation: number;
  /** The sandbox clock's lead over real time. */
  clockOffsetMs: number;
  /** The webhook deliveries kept (pending ones are sent after a restart). */
  deliveries: WebhookDelivery[];
}

/** One line of the journal: the changes of one transaction, and where the sequence and the clock stood after it. */
export interface JournalEntry {
  sequence: number;
  clockOffsetMs: number;
  ops: StoreOp[];
  /** Deliveries created or changed, whole. */
  deliveries: WebhookDelivery[];
}

/** What a state file held at start: the snapshot, and the journal's entries to replay over it. */
export interface LoadedState {
  snapshot: StateData;
  entries: JournalEntry[];
}

/** Writes `text` to `file` atomically: a temporary file in the same folder, flushed to disk, renamed over it. */
function writeAtomically(file: string, text: string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const descriptor = openSync(temporary, 'w', 0o600);
  try {
    writeSync(descriptor, text);
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(descriptor);
  renameSync(temporary, file);
}

const errorText = (error: unknown) => (error as Error).message;

/** One process per state file: the lock, and who holds it. */
const ownerFile = (file: string) => `${file}.lock-owner`;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(ownerFile(file), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the state file's lock (proper-lockfile: a `<file>.lock` directory kept fresh while the process
 * lives, released at exit, stale 10 seconds after a crash), and notes the pid for the message a second
 * process gets. A lock whose noted holder is no longer running is stale at once.
 */
function lock(file: string): () => void {
  const options = {
    realpath: false,
    onCompromised: (error: Error) => console.error(`connect-sandbox: the lock on the state file ${file} was lost (${error.message}): another process may now write it.`),
  };
  let release: () => void;
  try {
    release = lockfile.lockSync(file, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw new SandboxStateError(`Cannot lock the state file ${file}: ${errorText(error)}`);
    const holder = holderOf(file);
    if (holder === undefined || isRunning(holder)) {
      const who = holder === undefined ? 'another process' : holder === process.pid ? `this process (pid ${holder})` : `process ${holder}`;
      throw new SandboxStateError(`The state file ${file} is in use by ${who}: stop that sandbox first, or pass another --state file.`);
    }
    rmSync(`${file}.lock`, { recursive: true, force: true });
    release = lockfile.lockSync(file, options);
  }
  try {
    writeAtomically(ownerFile(file), String(process.pid));
  } catch (error) {
    release();
    throw new SandboxStateError(`Cannot write beside the state file ${file}: ${errorText(error)}`);
  }
  return () => {
    rmSync(ownerFile(file), { force: true });
    release();
  };
}

/** A `--state` file held by this process. */
export class StateFile {
  private readonly journal: string;
  private generation = 0;
  private snapshotBytes = 0;
  private journalBytes = 0;
  /** Set when a failed append may have left part of a line: the next save compacts instead. */
  private needsCompaction = false;
  private readonly unlock: () => void;

  private constructor(readonly file: string) {
    this.journal = `${file}.journal`;
    this.unlock = lock(file);
  }

  /**
   * Locks the file and reads it. Answers undefined state when the file does not exist (the sandbox then
   * starts from its seed and writes it); throws a SandboxStateError, saying what is wrong, for anything
   * else that keeps it from being read, so that a damaged file is never silently replaced by an empty sandbox.
   */
  static open(file: string): { stateFile: StateFile; loaded: LoadedState | undefined } {
    const stateFile = new StateFile(file);
    try {
      removeStaleTemporaryFiles(file);
      return { stateFile, loaded: stateFile.read() };
    } catch (error) {
      stateFile.close();
      throw error;
    }
  }

  private read(): LoadedState | undefined {
    const { file } = this;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new SandboxStateError(`Cannot read the state file ${file}: ${errorText(error)}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new SandboxStateError(`The state file ${file} is not valid JSON (${errorText(error)}). Move it away to start from the seed, or restore a backup.`);
    }
    const problem = stateProblem(data);
    if (problem) throw new SandboxStateError(`The state file ${file} is not a connect-sandbox state: ${problem}. Move it away to start from the seed, or restore a backup.`);
    const raw = data as Partial<StateData> & Omit<StateData, 'version' | 'secret' | 'generation' | 'deliveries'>;
    // A version 1 file: its tokens were made from the seed, and it kept no deliveries.
    const snapshot: StateData = { ...raw, version: STATE_VERSION, secret: raw.secret ?? raw.seed, generation: raw.generation ?? 0, deliveries: raw.deliveries ?? [] };
    this.generation = snapshot.generation;
    this.snapshotBytes = Buffer.byteLength(text);
    const entries = this.readJournal();
    return { snapshot, entries };
  }

  private readJournal(): JournalEntry[] {
    let text: string;
    try {
      text = readFileSync(this.journal, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.needsCompaction = true;
        return [];
      }
      throw new SandboxStateError(`Cannot read the state file's journal ${this.journal}: ${errorText(error)}`);
    }
    const lines = text.split('\n');
    const header = parseLine(lines[0] ?? '') as { format?: unknown; generation?: unknown } | undefined;
    if (header?.format !== JOURNAL_FORMAT || header.generation !== this.generation) {
      // Left by a compaction that stopped before its last step: every change in it is in the snapshot.
      this.needsCompaction = true;
      return [];
    }
    // Every line is written with its newline in one write: text after the last newline is a line torn
    // by a stop while writing it, which was never acknowledged. It is dropped by compacting.
    const complete = lines.slice(1, -1);
    if (lines[lines.length - 1] !== '') this.needsCompaction = true;
    const entries: JournalEntry[] = [];
    let bytes = Buffer.byteLength(lines[0]!) + 1;
    for (const [index, line] of complete.entries()) {
      const entry = parseLine(line);
      const problem = entry === undefined ? 'it is not JSON' : entryProblem(entry);
      if (problem) throw new SandboxStateError(`The state file's journal ${this.journal} is damaged at line ${index + 2}: ${problem}. Move both files away to start from the seed, or restore a backup.`);
      entries.push(entry as JournalEntry);
      bytes += Buffer.byteLength(line) + 1;
    }
    this.journalBytes = bytes;
    return entries;
  }

  /**
   * Saves one transaction's changes: a line appended to the journal and flushed to disk, or the whole
   * state compacted into a new snapshot when the journal has grown past it (`whole` gives it). Throws
   * when the disk refuses; the file then still holds every change saved before.
   */
  save(entry: JournalEntry, whole: () => Omit<StateData, 'format' | 'version' | 'generation'>): void {
    if (this.needsCompaction || this.journalBytes > Math.max(MIN_COMPACTION_BYTES, this.snapshotBytes)) {
      this.compact(whole());
      return;
    }
    const line = `${JSON.stringify(entry)}\n`;
    const descriptor = openSync(this.journal, 'a', 0o600);
    try {
      writeSync(descriptor, line);
      fsyncSync(descriptor);
      this.journalBytes += Buffer.byteLength(line);
    } catch (error) {
      // Take back what part of the line was written; if even that fails, the next save starts afresh.
      try {
        ftruncateSync(descriptor, this.journalBytes);
      } catch {
        this.needsCompaction = true;
      }
      throw error;
    } finally {
      closeSync(descriptor);
    }
  }

  /** Writes the whole state as a new snapshot, then starts a new, empty journal for it. */
  compact(state: Omit<StateData, 'format' | 'version' | 'generation'>): void {
    const generation = this.generation + 1;
    const text = JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, generation, ...state } satisfies StateData);
    writeAtomically(this.file, text);
    // From here the snapshot holds everything: a stop before the next line leaves a journal of the old generation, which is ignored.
    this.generation = generation;
    this.snapshotBytes = Buffer.byteLength(text);
    // The change is saved once the snapshot is: a new journal that cannot be written only means the
    // next save compacts again (the old one, of another generation, is never appended to, nor read).
    const header = `${JSON.stringify({ format: JOURNAL_FORMAT, generation })}\n`;
    try {
      writeAtomically(this.journal, header);
      this.needsCompaction = false;
      this.journalBytes = Buffer.byteLength(header);
    } catch {
      this.needsCompaction = true;
    }
  }

  /** Makes the next save a compaction: a change is known to be missing from the journal. */
  compactOnNextSave(): void {
    this.needsCompaction = true;
  }

  /** Releases the lock. */
  close(): void {
    this.unlock();
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function entryProblem(entry: unknown): string | undefined {
  if (!isObject(entry) || !Number.isInteger(entry.sequence) || !isTime(entry.clockOffsetMs) || !Array.isArray(entry.ops) || !Array.isArray(entry.deliveries)) {
    return 'it is not a journal entry';
  }
  for (const [index, op] of (entry.ops as unknown[]).entries()) {
    if (!isObject(op)) return `ops[${index}] is not an object`;
    if (typeof op.remove === 'string') {
      if (!(`${op.remove}s` in shapes) || op.remove === 'merchant' || !isText(op.uuid)) return `ops[${index}] removes nothing known`;
      continue;
    }
    const kind = `${op.put}s` as keyof typeof shapes;
    if (kind === 'merchant' || !(kind in shapes)) return `ops[${index}] puts nothing known`;
    const problem = recordProblem(op.record, kind, `ops[${index}].record`);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Removes the temporary files of writes that never finished (their process was killed before the
 * rename). Files of processes still running are left alone.
 */
function removeStaleTemporaryFiles(file: string): void {
  const prefixes = [`.${basename(file)}.`, `.${basename(file)}.journal.`, `.${basename(file)}.lock-owner.`];
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const prefix = prefixes.filter((each) => name.startsWith(each)).sort((a, b) => b.length - a.length)[0];
    const pid = prefix && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -'.tmp'.length)) : Number.NaN;
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    rmSync(join(dirname(file), name), { force: true });
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
  if (!READABLE_VERSIONS.includes(data.version as number)) return `it has version ${JSON.stringify(data.version)}, and this sandbox reads versions ${READABLE_VERSIONS.join(' and ')}`;
  if (typeof data.seed !== 'string') return '"seed" is missing';
  if (data.version === STATE_VERSION && !isText(data.secret)) return '"secret" is missing';
  if (data.version === STATE_VERSION && !Number.isInteger(data.generation)) return '"generation" is missing';
  if (data.version === STATE_VERSION && !Array.isArray(data.deliveries)) return '"deliveries" is not a list';
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
