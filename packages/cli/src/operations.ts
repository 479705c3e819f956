// The generated command table as commander commands: `connect <group> <command> [flags]`, each calling
// its operation through @reportei-connect/client, so that auth, retries, timeouts, errors and
// redaction are those of the client.
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CommandFlag, CommandGroup, OperationCommand } from './command-table.js';
import { connection, type GlobalOptions } from './connection.js';
import { operationInput } from './input.js';
import { outputMode, render, writeErr, writeOut } from './output.js';

/** The placeholder of a flag's value in help. */
const PLACEHOLDER = { string: 'value', integer: 'integer', number: 'number', boolean: 'boolean', json: 'json' } as const;

/** Reads one value of a flag from its text, as its kind says; a mistake names what was expected. */
function parseValue(flag: CommandFlag, text: string): unknown {
  if (flag.choices && !flag.choices.includes(text)) throw new InvalidArgumentError(`Allowed choices are ${flag.choices.join(', ')}.`);
  switch (flag.kind) {
    case 'integer':
    case 'number': {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value) || (flag.kind === 'integer' && !Number.isInteger(value))) throw new InvalidArgumentError(`Expected ${flag.kind === 'integer' ? 'an integer' : 'a number'}.`);
      return value;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new InvalidArgumentError('Expected true or false.');
      return text === 'true';
    case 'json':
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new InvalidArgumentError(`Expected JSON: ${(error as Error).message}.`);
      }
    default:
      return text;
  }
}

/**
 * The commander options of a field: `--name <value>`, a repeatable `--tag <value>` for a list, and
 * `--flag`/`--no-flag` for a boolean. Path and required query fields are mandatory; required body
 * fields are not, since `--data` may hold them (the body is checked before sending).
 */
function fieldOptions(flag: CommandFlag): Option[] {
  const mark = flag.required ? ' (required)' : '';
  if (flag.kind === 'boolean' && !flag.multiple) {
    return [new Option(`--${flag.flag}`, `${flag.description}${mark}`), new Option(`--no-${flag.flag}`, `set ${flag.field} to false`)];
  }
  const option = new Option(`--${flag.flag} <${PLACEHOLDER[flag.kind]}>`, `${flag.description}${flag.multiple ? ' (repeat for each value)' : ''}${mark}`);
  if (flag.choices) option.choices(flag.choices);
  option.argParser<unknown>(flag.multiple ? (text, previous) => [...((previous as unknown[] | undefined) ?? []), parseValue(flag, text)] : (text) => parseValue(flag, text));
  if (flag.in !== 'body' && flag.required) option.makeOptionMandatory();
  return [option];
}

/** Calls the operation and prints its result; with `--all`, every page, with progress on stderr. */
async function run(operation: OperationCommand, command: Command, flagOptions: Map<CommandFlag, Option>): Promise<void> {
  const values = command.opts();
  const globals = command.optsWithGlobals<GlobalOptions>();
  const { token, baseUrl, customerToken } = connection(globals, operation.customerToken);
  const input = await operationInput(operation, values, (flag) => values[(flagOptions.get(flag) as Option).attributeName()]);
  const { createConnectClient, paginate } = await import('@reportei-connect/client');
  const merchant = createConnectClient({ token, baseUrl });
  const client = (customerToken ? merchant.forCustomer(customerToken) : merchant) as unknown as Record<string, (params?: object) => Promise<unknown>>;
  const method = client[operation.operationId] as (params?: object) => Promise<unknown>;
  const mode = outputMode(globals.json);
  if (!(operation.paginated && values.all)) {
    writeOut(render(await method(input), mode));
    return;
  }
  const items: unknown[] = [];
  const progress = process.stderr.isTTY ? (line: string) => writeErr(`\r\x1b[K${line}`) : (line: string) => writeErr(`${line}\n`);
  const page = async (params?: object) => {
    const answer = (await method(params)) as { data: unknown[]; meta: { current_page: number; last_page: number } };
    progress(`connect: page ${answer.meta.current_page} of ${answer.meta.last_page}, ${items.length + answer.data.length} items`);
    return answer;
  };
  for await (const item of paginate(page, input)) items.push(item);
  if (process.stderr.isTTY) writeErr('\r\x1b[K');
  writeOut(render(items, mode));
}

/** Adds a command per operation of the table, under a command per group. */
export function addOperationCommands(program: Command, groups: readonly CommandGroup[]): void {
  for (const group of groups) {
    const groupCommand = program.command(group.name).description(group.description ?? group.tag);
    for (const operation of group.commands) {
      const command = groupCommand
        .command(operation.name)
        .summary(operation.summary)
        .description(`${operation.summary}${operation.customerToken ? ' (acts as a customer: needs the customer token)' : ''}\n\n${operation.description ?? ''}`.trim());
      const flagOptions = new Map<CommandFlag, Option>();
      for (const flag of operation.flags) {
        const [option, ...negation] = fieldOptions(flag);
        flagOptions.set(flag, option as Option);
        for (const each of [option as Option, ...negation]) command.addOption(each);
      }
      if (operation.body) command.option('--data <json>', "the request body as JSON, @file to read it from a file, or - from standard input; flags override its fields");
      if (operation.metricsField) {
        command.option('--metric <reference-key>', `a ready-made metric of the catalogue, such as ig:reach, added to ${operation.metricsField} with the key as its id (repeat for each)`, (key: string, keys: string[] = []) => [...keys, key]);
      }
      if (operation.paginated) command.option('--all', 'every page, one after the other, printed as one list (progress on stderr)');
      command.action((_options, self: Command) => run(operation, self, flagOptions));
    }
  }
}
