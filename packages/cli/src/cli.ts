// `connect`: the Reportei Connect API from the terminal. The operations' commands come from the
// generated table (src/generated/commands.ts); the rest (completion, the sandbox, the webhook
// listener) is written here. Exit status: 0 done, 1 the API (or the network) answered an error,
// 2 a usage error, which includes input that the spec rejects before anything is sent.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { COMPLETE_COMMAND, complete, completionScript, SHELLS, type Shell } from './completion.js';
import { type GlobalOptions, SANDBOX } from './connection.js';
import { commandGroups } from './generated/commands.js';
import { addOperationCommands } from './operations.js';
import { addSecret, outputMode, scrub, UsageError, writeErr, writeOut } from './output.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

function buildProgram(): Command {
  const program = new Command('connect')
    .description('The Reportei Connect API from the terminal: a command per operation of its OpenAPI document.')
    .version(version)
    .addOption(new Option('--token <token>', 'the merchant API token').env('REPORTEI_CONNECT_TOKEN'))
    .addOption(new Option('--customer-token <token>', "a customer's api_token, for the commands that act as a customer").env('REPORTEI_CONNECT_CUSTOMER_TOKEN'))
    .addOption(new Option('--base-url <url>', 'the API (default: https://connect.reportei.com/api)').env('REPORTEI_CONNECT_BASE_URL'))
    .option('--sandbox', `the local sandbox: --base-url ${SANDBOX.baseUrl}, and its merchant token unless one is set`)
    .option('--json', 'print the JSON the API answered (the default when standard output is not a terminal)')
    .option('--no-json', 'print tables and key/value lines even when standard output is not a terminal')
    // Help and usage errors go through the same writers as everything else, so no token is echoed.
    .configureOutput({ writeOut, writeErr, outputError: (text, write) => write(text) })
    .exitOverride()
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `\nCommands are grouped by the API's tags: connect <group> <command> --help lists a command's flags.\n` +
        'Exit status: 0 done, 1 the API answered an error, 2 a usage error (nothing was sent).',
    );

  addOperationCommands(program, commandGroups);

  program
    .command('completion')
    .description('print a shell completion script')
    .argument('<shell>', SHELLS.join(', '))
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`no completion for "${shell}": choose ${SHELLS.join(', ')}.`);
      writeOut(completionScript(shell as Shell));
    });

  program
    .command('sandbox')
    .description('start the local sandbox (the flags of connect-sandbox: connect sandbox --help lists them)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_options, command: Command) => {
      const { runSandbox } = await import('./sandbox.js');
      process.exitCode = await runSandbox(command.args);
    });

  const webhooks = program.command('webhooks').description('receive webhooks on this machine');
  webhooks
    .command('listen')
    .description('receive metrics webhooks on 127.0.0.1, print each one (checked with parseMetricsWebhook) and forward it')
    .option('--forward-to <url>', 'POST each valid webhook to this URL, and answer the sender with its answer')
    .addOption(
      new Option('--port <port>', 'the port to listen on; 0 picks a free one').default(4012).argParser((text) => {
        const port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${text}".`);
        return port;
      }),
    )
    .action(async (options: { forwardTo?: string; port: number }, command: Command) => {
      const { listen } = await import('./webhooks.js');
      await listen({ ...options, mode: outputMode(command.optsWithGlobals<GlobalOptions>().json) });
    });
  return program;
}

/** An error of the API, or of the network, in a few lines: never a stack, never a token. */
async function apiErrorText(error: unknown): Promise<string | undefined> {
  const { ConnectConnectionError, ConnectError } = await import('@reportei-connect/client');
  if (!(error instanceof ConnectError)) return undefined;
  const lines = [`connect: ${error.message}${error.status ? ` (${error.status} from ${error.method} ${error.path})` : ''}`];
  for (const [field, messages] of Object.entries(error.errors ?? {})) for (const message of messages) lines.push(`  ${field}: ${message}`);
  if (error.status === 401) lines.push('Check the token: REPORTEI_CONNECT_TOKEN or --token, and for a command that acts as a customer REPORTEI_CONNECT_CUSTOMER_TOKEN or --customer-token.');
  if (error instanceof ConnectConnectionError) lines.push('Check --base-url (or REPORTEI_CONNECT_BASE_URL); for the local sandbox, start it with `connect sandbox` and pass --sandbox.');
  return `${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  addSecret(process.env.REPORTEI_CONNECT_TOKEN);
  addSecret(process.env.REPORTEI_CONNECT_CUSTOMER_TOKEN);
  const program = buildProgram();
  if (argv[0] === COMPLETE_COMMAND) {
    writeOut(complete(program, argv.slice(1)).map((candidate) => `${candidate}\n`).join(''));
    return 0;
  }
  // Tokens given as flags are known once parsed, before any action prints.
  program.hook('preAction', (_program, action) => {
    const { token, customerToken } = action.optsWithGlobals<GlobalOptions>();
    addSecret(token);
    addSecret(customerToken);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Commander has printed its own message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      writeErr(`connect: ${error.message}\n`);
      return 2;
    }
    const text = await apiErrorText(error);
    if (text === undefined) throw error;
    writeErr(text);
    return 1;
  }
}

// A reader that stops early (`connect customers list | head -1`) closes the pipe: that ends the command
// quietly, as it ends any shell tool, instead of with an EPIPE stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const status = await main(process.argv.slice(2)).catch((error: unknown) => {
  // A bug, not the API's answer or a mistake in the command line: the stack helps, the tokens do not.
  writeErr(`connect: unexpected error, please report it: ${scrub(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
  return 1;
});
// Not process.exit: the output is flushed first, and the webhook listener keeps running until stopped.
process.exitCode = status;
