import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Where `pnpm mock` listens unless told otherwise; the spec's second `servers` entry points here. */
export const DEFAULT_PORT = 4010;

/** The only interface the mock listens on: it is a development tool, never exposed to the network. */
export const HOST = '127.0.0.1';

export interface MockOptions {
  /** TCP port; `0` (the default) picks a free one. */
  port?: number;
  /** Generate responses from the schemas (json-schema-faker) instead of answering with the spec's examples. */
  dynamic?: boolean;
  /** Seed for `dynamic`, so generated responses repeat from run to run. */
  seed?: string;
  /**
   * Give up if Prism does not listen within this time. Default 60000 ms: Prism is usually listening
   * in 1 to 2 s, but a machine running several suites at once on two cores has starved it for over
   * 30 s. A Prism that fails to start exits at once, so this only bounds a start that hangs.
   */
  readyTimeoutMs?: number;
  /**
   * `capture` (default) keeps Prism's log to explain a failed start; `inherit` prints it, request by
   * request, once Prism listens (a start that fails prints nothing of it: the error says why).
   */
  log?: 'capture' | 'inherit';
}

export interface RunningMock {
  /** Base URL of the API, such as `http://127.0.0.1:4010`; operation paths are appended to it. */
  url: string;
  port: number;
  /** Process id of Prism, also the id of its process group. */
  pid: number;
  /** Ends Prism and every process it started, and resolves once the port is free again. */
  stop(): Promise<void>;
  /** Settles when Prism's process ends, whether through stop() or not. */
  exited: Promise<void>;
}

/** The bundled document that Prism serves, as `@reportei-connect/openapi` exports it. */
export function specPath(): string {
  return require.resolve('@reportei-connect/openapi/openapi.json');
}

/**
 * Runs Prism behind the JSON body guard and ends it when its standard input closes; plain CommonJS, so
 * src/ and dist/ share it.
 */
const prismProcess = fileURLToPath(new URL('../lib/prism-process.cjs', import.meta.url));

/** Asks the kernel for a port that is free right now. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('No port was assigned'))));
    });
  });
}

/**
 * Settles after `ms`, without keeping the process alive: stop() races it against Prism's exit, and a
 * timer left running there held a script that had stopped the mock for the whole grace period.
 */
const gracePeriod = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Signals Prism's whole process group; a group that is already gone is not an error. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

const portTakenError = (port: number) =>
  new MockStartError(`Port ${port} on ${HOST} is already in use: stop what listens there, or choose another port.`, '', true);

/**
 * Whether something listens on the port already: asked before starting Prism, which takes seconds to
 * load before it finds out. Any other failure to listen is left for Prism to report.
 */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen(port, HOST, () => probe.close(() => resolve(false)));
  });
}

async function launch(port: number, options: MockOptions): Promise<RunningMock> {
  if (await portInUse(port)) throw portTakenError(port);
  const { dynamic = false, seed, readyTimeoutMs = 60_000, log = 'capture' } = options;
  // One process (Prism forks a worker when NODE_ENV=production, which would escape the JSON body guard
  // and the stdin watch of prism-process.cjs).
  const args = [prismProcess, 'mock', specPath(), '--host', HOST, '--port', String(port), '--errors', '--multiprocess=false'];
  // Without this, json-schema-faker invents extra properties, which makes dynamic answers noisy.
  if (dynamic) args.push('--dynamic', '--json-schema-faker-fillProperties=false');
  if (seed !== undefined) args.push('--seed', seed);

  // Its own process group, so that stop() can end Prism together with anything it spawns. Its stdin
  // is a pipe that only this process holds (see prism-process.cjs). Its output is always read,
  // because its "listening" line is the sign that this Prism, and not some other program on the same
  // port, is ready.
  const colour = log === 'inherit' && process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};
  const child = spawn(process.execPath, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...colour } });
  const pid = child.pid;
  if (pid === undefined) throw new Error('Could not start Prism: the process did not spawn.');

  let output = '';
  const listening = `Prism is listening on http://${HOST}:${port}`;
  let isReady = false;
  let announceReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (announceReady = resolve));
  // With `inherit`, what Prism says before it listens is held back, and printed once it does: a start
  // that fails (a port in use makes Prism print its whole usage text) shows only the error's message.
  const heldBack: [NodeJS.WriteStream, Buffer][] = [];
  const read = (sink: NodeJS.WriteStream) => (chunk: Buffer) => {
    // Keep the end of the log, without colours, to explain a failed start.
    output = (output + chunk.toString().replace(/\x1b\[[0-9;]*m/g, '')).slice(-20_000);
    if (!isReady && output.includes(listening)) {
      isReady = true;
      if (log === 'inherit') for (const [heldSink, held] of heldBack.splice(0)) heldSink.write(held);
      announceReady();
    }
    if (log !== 'inherit') return;
    if (isReady) sink.write(chunk);
    else heldBack.push([sink, chunk]);
  };
  child.stdout?.on('data', read(process.stdout));
  child.stderr?.on('data', read(process.stderr));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      signalGroup(pid, 'SIGTERM');
      const gracefully = await Promise.race([exited(child).then(() => true), gracePeriod(3000).then(() => false)]);
      // Whatever survived the leader (or the leader itself, if it ignored SIGTERM) goes now.
      signalGroup(pid, 'SIGKILL');
      if (!gracefully) await exited(child);
      child.stdout?.destroy();
      child.stderr?.destroy();
    })());

  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    exited(child).then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), readyTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome === 'ready') return { url: `http://${HOST}:${port}`, port, pid, stop, exited: exited(child) };

  await stop();
  // Taken between the check and Prism's own listen.
  if (output.includes('EADDRINUSE')) throw portTakenError(port);
  const reason = outcome === 'exited' ? `Prism exited (${child.exitCode ?? child.signalCode})` : `Prism did not listen within ${readyTimeoutMs} ms`;
  throw new MockStartError(`${reason} on ${HOST}:${port}. Is the spec built? Run: pnpm turbo run build --filter=@reportei-connect/openapi`, output, false);
}

/** A start that failed; `output` holds the end of Prism's log. */
export class MockStartError extends Error {
  override name = 'MockStartError';
  constructor(
    message: string,
    readonly output: string,
    readonly portTaken: boolean,
  ) {
    super(output ? `${message}\nPrism said:\n${output.trimEnd()}` : message);
  }
}

/**
 * Starts Prism on 127.0.0.1 from the bundled spec, with request validation and `--errors` on, and
 * resolves once it listens. Call `stop()` when done.
 */
export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const { port = 0 } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  if (port !== 0) return launch(port, options);
  // A port found free can be taken by someone else before Prism binds it: try another, a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(await findFreePort(), options);
    } catch (error) {
      if (attempt === 3 || !(error instanceof MockStartError) || !error.portTaken) throw error;
    }
  }
}
