import { describe, expect, it } from 'vitest';
import { allowedMethods, listOperations, matchOperation, type HttpMethod } from '../src/index.js';
import { fixture } from './fixture.js';

const operations = listOperations(fixture());
const route = (method: string, pathname: string) => {
  const found = matchOperation(operations, method, pathname);
  return found && { id: found.operation.id, pathParams: found.pathParams };
};

describe('matchOperation', () => {
  it('routes a concrete path to its operation, with the path parameters', () => {
    expect(route('GET', '/things')).toEqual({ id: 'listThings', pathParams: {} });
    expect(route('post', '/things')).toEqual({ id: 'createThing', pathParams: {} });
    expect(route('DELETE', '/things/abc')).toEqual({ id: 'deleteThing', pathParams: { id: 'abc' } });
    expect(route('POST', '/things/abc/refresh')).toEqual({ id: 'refreshThing', pathParams: { id: 'abc' } });
  });

  it('prefers literal segments to templated ones, then the method', () => {
    expect(route('POST', '/things/search')).toEqual({ id: 'searchThings', pathParams: {} });
    // /things/search is its own path: it has no GET, and /things/{id} does not take the request.
    expect(route('GET', '/things/search')).toBeUndefined();
    expect(allowedMethods(operations, '/things/search')).toEqual(['POST']);
  });

  it('percent-decodes parameter values and literal segments', () => {
    expect(route('GET', '/things/a%20b')).toEqual({ id: 'getThing', pathParams: { id: 'a b' } });
    expect(route('GET', '/things/%E0%A4%A')).toEqual({ id: 'getThing', pathParams: { id: '%E0%A4%A' } });
    expect(route('POST', '/things/sea%72ch')?.id).toBe('searchThings');
  });

  it('finds nothing for unknown paths, extra or missing segments and empty parameters', () => {
    expect(route('GET', '/nothing')).toBeUndefined();
    expect(route('GET', '/things/')).toBeUndefined();
    expect(route('GET', '/things/a/b')).toBeUndefined();
    expect(route('GET', 'things')).toBeUndefined();
    expect(route('PATCH', '/things/a')).toBeUndefined();
    expect(allowedMethods(operations, '/things/a')).toEqual(['GET', 'PUT', 'DELETE']);
    expect(allowedMethods(operations, '/nothing')).toEqual([]);
  });

  it('matches templates that share a segment with literal text', () => {
    const files: { id: string; method: HttpMethod; path: string }[] = [
      { id: 'byName', method: 'GET', path: '/files/{name}.{ext}' },
      { id: 'report', method: 'GET', path: '/files/report-{year}' },
      { id: 'any', method: 'GET', path: '/files/{file}' },
    ];
    expect(matchOperation(files, 'GET', '/files/a.tar.gz')).toEqual({ operation: files[0], pathParams: { name: 'a', ext: 'tar.gz' } });
    expect(matchOperation(files, 'GET', '/files/report-2024')).toEqual({ operation: files[1], pathParams: { year: '2024' } });
    expect(matchOperation(files, 'GET', '/files/plain')).toEqual({ operation: files[2], pathParams: { file: 'plain' } });
  });
});
