import { createValidator, formatErrors, listOperations, loadDocument, matchOperation } from '@reportei-connect/spec-model';

// A bundled document, JSON or (by its extension) YAML: @reportei-connect/openapi ships dist/openapi.json.
const document = loadDocument(process.argv[2] ?? 'openapi.json');
const operations = listOperations(document);

for (const operation of operations) {
  const flags = [operation.retryable && 'retryable', operation.changesState && 'changes state'].filter(Boolean).join(', ');
  console.log(`${operation.method} ${operation.path} ${operation.id} (${operation.auth}${flags ? `; ${flags}` : ''})`);
}

// Route a request as a server would, then check its body against the operation's schema.
const match = matchOperation(operations, 'POST', '/customers');
if (match?.operation.requestBody) {
  const validator = createValidator(document);
  const problems = formatErrors(validator.validate(match.operation.requestBody.schemaPointer, { name: 42 }));
  console.log(`${match.operation.id}: ${problems.join('; ') || 'valid'}`);
}
