// The shape of the command table that connect-codegen-cli (tools/codegen-cli) writes into
// src/generated/commands.ts from the spec: one group per tag, one command per operation.

/** The kind of a flag's value: `json` is an object, or a list of objects, given as JSON text. */
export type FlagKind = 'string' | 'integer' | 'number' | 'boolean' | 'json';

export interface CommandFlag {
  /** Without its dashes: `per-page`. */
  flag: string;
  /** The field of the operation's input it fills: `per_page`. */
  field: string;
  in: 'path' | 'query' | 'body';
  /** Of the value, or of each value when `multiple`. */
  kind: FlagKind;
  /** A list of scalars: the flag may be repeated. */
  multiple: boolean;
  required: boolean;
  /** The enum of the value (of each value when `multiple`). */
  choices?: readonly string[];
  /** One line, with the value's format and default. */
  description: string;
  /** The JSON pointer of a path or query parameter's schema; body fields are checked with the whole body. */
  schemaPointer?: string;
}

export interface OperationCommand {
  /** `list`, `get-settings`. */
  name: string;
  /** The client's method. */
  operationId: string;
  summary: string;
  description?: string;
  /** It needs the customer token. */
  customerToken: boolean;
  /** It takes `page` and answers `{ data, meta: { last_page } }`: `--all` follows the pages. */
  paginated: boolean;
  /** It takes a JSON body, which `--data` gives whole. */
  body?: { schemaPointer: string; required: boolean };
  /** The body field that also takes catalogue metrics by reference key (`--metric ig:reach`). */
  metricsField?: string;
  flags: readonly CommandFlag[];
}

export interface CommandGroup {
  /** The tag in kebab case: `customer-integrations`. */
  name: string;
  /** The tag as the spec writes it. */
  tag: string;
  description?: string;
  commands: readonly OperationCommand[];
}
