// Checks every response a test receives against the OpenAPI document, through the shared spec model
// (independently of the sandbox's own reading of it): the status is documented for the operation, the
// body matches that response's schema, and the required headers are there and valid.
import { createRequire } from 'node:module';
import {
  allowedMethods,
  createValidator,
  formatErrors,
  listOperations,
  loadDocument,
  matchOperation,
  type OperationModel,
  type ResponseModel,
} from '@reportei-connect/spec-model';

const document = loadDocument(createRequire(import.meta.url).resolve('@reportei-connect/openapi/openapi.json'));
export const operations = listOperations(document);
export const validator = createValidator(document);

/** The API's prefix in the sandbox's URLs. */
const API = '/api';

export interface Exchange {
  method: string;
  path: string;
  status: number;
  operationId: string | undefined;
}

/** One way a response breaks the spec, said so that the failure explains itself. */
export interface Violation extends Exchange {
  problem: string;
}

function responseOf(operation: OperationModel, status: number): ResponseModel | undefined {
  return (
    operation.responses.find((response) => response.status === String(status)) ??
    operation.responses.find((response) => response.status === `${String(status)[0]}XX`) ??
    operation.responses.find((response) => response.status === 'default')
  );
}

/** Every problem of one response (empty when it conforms). */
export async function checkResponse(method: string, url: string, response: Response): Promise<Violation[]> {
  const { pathname } = new URL(url);
  if (!pathname.startsWith(`${API}/`)) return [];
  const path = pathname.slice(API.length);
  const match = matchOperation(operations, method, path);
  let operation = match?.operation;
  if (!operation && response.status === 405) {
    // A 405 reaches no operation: any operation of the path documents it.
    const [allowed] = allowedMethods(operations, path);
    operation = operations.find((candidate) => candidate.method === allowed && matchOperation([candidate], allowed, path));
  }
  const exchange: Exchange = { method, path, status: response.status, operationId: operation?.id };
  const problems: string[] = [];
  if (!operation) {
    problems.push('no operation of the spec fits this request');
  } else {
    const documented = responseOf(operation, response.status);
    if (!documented) {
      problems.push(`status ${response.status} is not documented (documented: ${operation.responses.map((r) => r.status).join(', ')})`);
    } else {
      for (const [name, header] of Object.entries(documented.headers)) {
        const value = response.headers.get(name);
        if (value === null) {
          if (header.required) problems.push(`required header ${name} is missing`);
          continue;
        }
        if (header.schemaPointer) {
          for (const line of formatErrors(validator.validateText(header.schemaPointer, value))) problems.push(`header ${name}: ${value}: ${line}`);
        }
      }
      const text = await response.clone().text();
      if (documented.schemaPointer) {
        if (!/^application\/json/.test(response.headers.get('content-type') ?? '')) problems.push(`content-type is ${response.headers.get('content-type')}, not JSON`);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          problems.push(`the body is not JSON: ${text.slice(0, 200)}`);
        }
        if (body !== undefined) for (const line of formatErrors(validator.validate(documented.schemaPointer, body))) problems.push(`body ${line}`);
      } else if (text !== '') {
        problems.push('the response documents no body, but has one');
      }
    }
  }
  return problems.map((problem) => ({ ...exchange, problem }));
}

/**
 * A fetch that passes every request to `inner` and checks every response it gets against the spec,
 * keeping what it saw: `exchanges` (each response) and `violations` (each problem).
 */
export function conformingFetch(inner: typeof fetch) {
  const exchanges: Exchange[] = [];
  const violations: Violation[] = [];
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const response = await inner(request);
    const problems = await checkResponse(request.method, request.url, response);
    const { pathname } = new URL(request.url);
    exchanges.push({ method: request.method, path: pathname, status: response.status, operationId: problems[0]?.operationId ?? matchOperation(operations, request.method, pathname.slice(API.length))?.operation.id });
    violations.push(...problems);
    return response;
  };
  return { fetch: wrapped as typeof fetch, exchanges, violations };
}
