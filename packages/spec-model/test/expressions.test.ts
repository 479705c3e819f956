import { describe, expect, it } from 'vitest';
import { evaluateExpression, expandTemplate, ExpressionError, listOperations, type ExpressionSource } from '../src/index.js';
import { fixture } from './fixture.js';

const source: ExpressionSource = {
  method: 'POST',
  url: 'https://api.example/things?verbose=1',
  request: { path: { id: '7' }, query: { verbose: '1' }, headers: new Headers({ 'X-Trace': 'abc' }), body: { name: 'Acme', callback_url: 'https://hooks.example/ready', tags: ['a', 'b'] } },
  response: { status: 201, headers: new Headers({ 'x-ratelimit-remaining': '59' }), body: { thing: { id: 7 } } },
};

describe('evaluateExpression', () => {
  it('reads every kind of runtime expression from an exchange, with JSON pointers into the bodies', () => {
    expect(evaluateExpression('$url', source)).toBe('https://api.example/things?verbose=1');
    expect(evaluateExpression('$method', source)).toBe('POST');
    expect(evaluateExpression('$statusCode', source)).toBe(201);
    expect(evaluateExpression('$request.path.id', source)).toBe('7');
    expect(evaluateExpression('$request.query.verbose', source)).toBe('1');
    expect(evaluateExpression('$request.header.x-trace', source)).toBe('abc');
    expect(evaluateExpression('$request.body#/tags/1', source)).toBe('b');
    expect(evaluateExpression('$response.header.X-RateLimit-Remaining', source)).toBe('59');
    expect(evaluateExpression('$response.body#/thing/id', source)).toBe(7);
    expect(evaluateExpression('$response.body', source)).toEqual({ thing: { id: 7 } });
  });

  it('answers undefined for what the exchange lacks, a non-expression as itself, and refuses what it does not know', () => {
    expect(evaluateExpression('$response.body#/thing/name', source)).toBeUndefined();
    expect(evaluateExpression('$statusCode', { ...source, response: undefined })).toBeUndefined();
    expect(evaluateExpression('a constant', source)).toBe('a constant');
    expect(() => evaluateExpression('$cookie.x', source)).toThrow(ExpressionError);
    expect(() => evaluateExpression('$request.body#no-slash', source)).toThrow(ExpressionError);
  });
});

describe('expandTemplate', () => {
  it("expands a callback's URL template from the request that registered it", () => {
    const [callback] = listOperations(fixture()).find((operation) => operation.id === 'createThing')!.callbackOperations;
    expect(callback!.expression).toBe('{$request.body#/callback_url}');
    expect(expandTemplate(callback!.expression, source)).toBe('https://hooks.example/ready');
    expect(expandTemplate('https://hooks.example/{$request.path.id}/done', source)).toBe('https://hooks.example/7/done');
    expect(expandTemplate('{$request.body#/missing}', source)).toBeUndefined();
    expect(expandTemplate('{$request.body#/tags}', source)).toBeUndefined();
  });
});
