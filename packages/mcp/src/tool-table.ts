// The shape of the tool table that connect-codegen-mcp (tools/codegen-mcp) writes into
// src/generated/tools.ts from the spec: one MCP tool per operation.

/** A JSON Schema 2020-12 object schema, self-contained (its component schemas under `$defs`). */
export interface InputSchema {
  type: 'object';
  properties?: Record<string, object>;
  required?: readonly string[];
  $defs?: Record<string, object>;
  [keyword: string]: unknown;
}

export interface OperationTool {
  /** The operationId, which is also the client's method. */
  name: string;
  /** The operation's summary. */
  title: string;
  /** The summary, the description, then what the server does for the tool. */
  description: string;
  /** Path, query and body fields in one object, as the client's method takes them, plus `customer_uuid` when customer-scoped. */
  inputSchema: InputSchema;
  annotations: {
    title: string;
    /** The operation changes nothing on the server (`x-changes-state`). */
    readOnlyHint: boolean;
    /** It deletes (a `DELETE`). */
    destructiveHint: boolean;
    /** It may be sent again (`x-idempotent`). */
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
  /** It acts as a customer, named by `customer_uuid`, with the token the server holds for it. */
  customerScoped: boolean;
  /** It answers one page, `{ data, meta }`. */
  paginated: boolean;
  /** The body field that also takes catalogue reference keys. */
  metricsField?: string;
}
