import { randomBytes } from 'node:crypto';
import { Clock } from './clock.js';
import { SandboxStateError, StateFile, type JournalEntry } from './persistence.js';
import { uuidFrom } from './random.js';
import { RateLimiter, type RateLimits } from './rate-limit.js';
import { Store, type StoreOp } from './store.js';
import { WebhookSender, type WebhookDelivery, type WebhookJob, type WebhookOptions } from './webhooks.js';

/**
 * The sandbox's state and what changes it, with no knowledge of HTTP: the store, the clock, the rate
 * limiter, the webhook deliveries and the request log. Every change goes through {@link Runtime.change},
 * which saves it once (one journal line) or, when the save fails, undoes it.
 */

/** One request the sandbox served, as `GET /__sandbox/requests` lists it. Never holds a token. */
export interface RequestRecord {
  /** On the sandbox clock. */
  at: string;
  method: string;
  /** The path under the API (`/customers/…`), without the query. */
  path: string;
  /** The HTTP status, or null when the connection was dropped on purpose (`reset`, `timeout`). */
  status: number | null;
  /** The operation the request was routed to, or null when it fits none. */
  operationId: string | null;
  /** The `x-sandbox-fault` it asked for, if any. */
  fault?: string;
}

/** A change that could not be saved, and so was not made. */
export class StateWriteError extends Error {
  override name = 'StateWriteError';
}

export interface RuntimeOptions {
  seed: string | undefined;
  stateFile: string | undefined;
  /** Where the clock starts on a fresh state and after a reset, in ms (default: real time). */
  startMs: number | undefined;
  rateLimit: RateLimits;
  webhooks: WebhookOptions;
}

/** The seed everything made up derives from when none is given. */
export const DEFAULT_SEED = 'connect-sandbox';
const REQUEST_LOG_SIZE = 100;

/** What one transaction changed, and how to take it back. */
interface Transaction {
  ops: StoreOp[];
  undo: (() => void)[];
  deliveries: WebhookDelivery[];
  /** Run once saved: deliveries are scheduled only then. */
  after: (() => void)[];
}

export class Runtime {
  readonly clock: Clock;
  readonly limiter: RateLimiter;
  readonly webhooks: WebhookSender;
  /** The last requests served, oldest first. */
  readonly requests: RequestRecord[] = [];
  private current: Store;
  private transaction: Transaction | undefined;
  private readonly stateFile: StateFile | undefined;
  private readonly startMs: number | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: RuntimeOptions) {
    this.startMs = options.startMs;
    this.limiter = new RateLimiter(options.rateLimit);
    const opened = options.stateFile === undefined ? undefined : StateFile.open(options.stateFile);
    this.stateFile = opened?.stateFile;
    const loaded = opened?.loaded;
    try {
      if (loaded && options.seed !== undefined && loaded.snapshot.seed !== options.seed) {
        throw new SandboxStateError(
          `The state file ${options.stateFile} was made with the seed "${loaded.snapshot.seed}", not "${options.seed}": leave out the seed, pass the same one, or use another state file.`,
        );
      }
      this.clock = new Clock(loaded?.snapshot.clockOffsetMs ?? this.startOffset());
      this.webhooks = new WebhookSender(options.webhooks, () => this.clock.nowMs(), (delivery) => this.saveDelivery(delivery));
      const deliveries = new Map(loaded?.snapshot.deliveries.map((delivery) => [delivery.id, delivery]));
      if (loaded) {
        this.current = new Store(loaded.snapshot);
        for (const entry of loaded.entries) {
          for (const op of entry.ops) this.current.apply(op);
          this.current.continueFrom(entry.sequence);
          this.clock.offsetMs = entry.clockOffsetMs;
          for (const delivery of entry.deliveries) deliveries.set(delivery.id, delivery);
        }
      } else {
        // With a seed, tokens are reproducible from it; without, from a secret no one else knows.
        const seed = options.seed ?? DEFAULT_SEED;
        this.current = Store.seeded(seed, options.seed ?? randomBytes(32).toString('hex'), this.clock.nowMs());
      }
      this.watch(this.current);
      // Written whole at start: a new file is created, one read back gets a fresh journal (without a torn last line).
      this.stateFile?.compact({ ...this.current.toJSON(), clockOffsetMs: this.clock.offsetMs, deliveries: [...deliveries.values()] });
      // Only once the state is known to be writable: a sandbox that fails to start sends nothing.
      this.webhooks.restore([...deliveries.values()]);
    } catch (error) {
      this.stateFile?.close();
      throw error;
    }
  }

  get store(): Store {
    return this.current;
  }

  /** The clock's offset at a fresh start: `now` if given, else real time. */
  private startOffset(): number {
    return this.startMs === undefined ? 0 : this.startMs - Date.now();
  }

  private watch(store: Store): void {
    store.record = (op, undo) => {
      if (!this.transaction) {
        undo();
        throw new Error('The sandbox changed its state outside Runtime.change: the change would not be saved (it was undone).');
      }
      this.transaction.ops.push(op);
      this.transaction.undo.push(undo);
    };
  }

  /** Everything a snapshot holds. */
  private whole() {
    return { ...this.current.toJSON(), clockOffsetMs: this.clock.offsetMs, deliveries: this.webhooks.deliveries().reverse() };
  }

  /**
   * Runs `change` as one transaction: what it changes in the store, the clock and the deliveries is
   * saved in one write, then answered. If `change` throws, or the save fails, every change it made is
   * undone (a failed save throws a {@link StateWriteError} naming the file's problem). Nested calls
   * join the outer transaction.
   */
  change<T>(change: () => T): T {
    if (this.transaction) return change();
    const transaction: Transaction = { ops: [], undo: [], deliveries: [], after: [] };
    const clockBefore = this.clock.offsetMs;
    this.transaction = transaction;
    const rollback = () => {
      for (const undo of transaction.undo.reverse()) undo();
      for (const delivery of transaction.deliveries) this.webhooks.discard(delivery.id);
      this.clock.offsetMs = clockBefore;
    };
    let result: T;
    try {
      result = change();
    } catch (error) {
      rollback();
      throw error;
    } finally {
      this.transaction = undefined;
    }
    const changed = transaction.ops.length > 0 || transaction.deliveries.length > 0 || this.clock.offsetMs !== clockBefore;
    if (changed && this.stateFile) {
      try {
        this.save({ sequence: this.current.nextSequence, clockOffsetMs: this.clock.offsetMs, ops: transaction.ops, deliveries: transaction.deliveries });
      } catch (error) {
        rollback();
        throw new StateWriteError(
          `The change was not made: the state file ${this.stateFile.file} could not be written (${(error as Error).message}). Free disk space or fix the file's permissions, then send the request again.`,
        );
      }
    }
    for (const after of transaction.after) after();
    return result;
  }

  private save(entry: JournalEntry): void {
    this.stateFile!.save(entry, () => this.whole());
  }

  /** Queues a webhook delivery within the current transaction: scheduled once saved, forgotten if not. */
  deliver(job: WebhookJob): WebhookDelivery {
    const transaction = this.transaction;
    if (!transaction) throw new Error('Runtime.deliver is called within Runtime.change only.');
    const delivery = this.webhooks.add(uuidFrom(this.current.seed, 'webhook-delivery', this.current.takeNumber()), job);
    transaction.deliveries.push(delivery);
    transaction.after.push(() => this.webhooks.start(delivery.id));
    return delivery;
  }

  /** A delivery changed by an attempt, outside any request: saved on its own. */
  private saveDelivery(delivery: WebhookDelivery): void {
    if (!this.stateFile) return;
    try {
      this.save({ sequence: this.current.nextSequence, clockOffsetMs: this.clock.offsetMs, ops: [], deliveries: [delivery] });
    } catch (error) {
      this.stateFile.compactOnNextSave();
      console.error(`connect-sandbox: could not save webhook delivery ${delivery.id} to ${this.stateFile.file} (${(error as Error).message}); it is saved with the next change.`);
    }
  }

  /** Records a request in the log (the last 100 are kept). */
  logRequest(record: RequestRecord): void {
    this.requests.push(record);
    if (this.requests.length > REQUEST_LOG_SIZE) this.requests.shift();
  }

  /**
   * Back to the seed's state, the clock to its start: a new snapshot. The demo customer keeps its uuid
   * and token; every other record made from now on gets numbers never used before.
   */
  reset(): void {
    const previous = { store: this.current, offset: this.clock.offsetMs };
    this.clock.offsetMs = this.startOffset();
    this.current = Store.seeded(previous.store.seed, previous.store.secret, this.clock.nowMs(), previous.store.nextSequence);
    this.watch(this.current);
    try {
      this.stateFile?.compact({ ...this.current.toJSON(), clockOffsetMs: this.clock.offsetMs, deliveries: [] });
    } catch (error) {
      this.current = previous.store;
      this.clock.offsetMs = previous.offset;
      throw new StateWriteError(`The sandbox was not reset: the state file ${this.stateFile!.file} could not be written (${(error as Error).message}).`);
    }
    this.webhooks.clear();
    this.limiter.reset();
    this.requests.length = 0;
  }

  /** Stops deliveries (kept pending in the state file, if any) and releases the state file. */
  close(): Promise<void> {
    this.closing ??= this.webhooks.close({ keepPending: this.stateFile !== undefined }).then(() => this.stateFile?.close());
    return this.closing;
  }
}
