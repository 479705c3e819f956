import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, test } from 'vitest';
import { connectTelemetry } from '../src/otel.js';
import { fakeApi } from './fake-api.js';

describe('connectTelemetry', () => {
  test('a CLIENT span per attempt and the HTTP client duration histogram, as the semantic conventions name them', async () => {
    const spans = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('test');
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const meter = new MeterProvider({ readers: [reader] }).getMeter('test');
    const { connect } = fakeApi((n) => (n === 0 ? { status: 503, headers: { 'retry-after': '0' } } : n === 1 ? { body: {} } : { status: 404, body: { message: 'No query results.' } }), {
      onEvent: connectTelemetry({ tracer, meter, baseUrl: 'https://api.example.com:8443/api' }),
    });
    await connect.getMerchantSettings();
    await expect(connect.getCustomer({ uuid: 'u1' })).rejects.toThrow('No query results.');

    const finished = spans.getFinishedSpans();
    expect(finished.map((span) => [span.name, span.kind, span.status.code, span.attributes])).toEqual([
      ['GET /merchants/settings', 2, 2, { 'http.request.method': 'GET', 'url.template': '/merchants/settings', 'server.address': 'api.example.com', 'server.port': 8443, 'reportei_connect.operation_id': 'getMerchantSettings', 'http.response.status_code': 503, 'error.type': '503' }],
      ['GET /merchants/settings', 2, 0, { 'http.request.method': 'GET', 'url.template': '/merchants/settings', 'server.address': 'api.example.com', 'server.port': 8443, 'reportei_connect.operation_id': 'getMerchantSettings', 'http.request.resend_count': 1, 'http.response.status_code': 200 }],
      ['GET /customers/{uuid}', 2, 2, { 'http.request.method': 'GET', 'url.template': '/customers/{uuid}', 'server.address': 'api.example.com', 'server.port': 8443, 'reportei_connect.operation_id': 'getCustomer', 'http.response.status_code': 404, 'error.type': '404' }],
    ]);
    expect(JSON.stringify(finished.map((span) => span.attributes))).not.toContain('u1');

    await reader.forceFlush();
    const [histogram] = exporter.getMetrics().flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
    expect(histogram?.descriptor).toMatchObject({ name: 'http.client.request.duration', unit: 's' });
    expect(histogram?.dataPoints.map((point) => [point.attributes['http.response.status_code'], (point.value as { count: number }).count])).toEqual([
      [503, 1],
      [200, 1],
      [404, 1],
    ]);
  });

  test('a failure without response ends its span with error.type; without options it uses the global API (no-op without an SDK)', async () => {
    const spans = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('test');
    const { connect } = fakeApi(() => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })), {
      onEvent: connectTelemetry({ tracer }),
      retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0 },
    });
    await expect(connect.getMerchantSettings()).rejects.toThrow('ECONNREFUSED');
    expect(spans.getFinishedSpans().map((span) => [span.status.code, span.attributes['error.type'], span.attributes['server.address']])).toEqual([
      [2, 'connection', 'connect.reportei.com'],
      [2, 'ConnectConnectionError', 'connect.reportei.com'],
    ]);
    const global = fakeApi(() => ({ body: {} }), { onEvent: connectTelemetry() });
    await expect(global.connect.getMerchantSettings()).resolves.toEqual({});
  });
});
