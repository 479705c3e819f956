import { metrics, type Meter, type Span, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { ConnectEvent } from './events.js';

export interface ConnectTelemetryOptions {
  /** Default: the global tracer provider's tracer `@reportei-connect/client`. */
  tracer?: Tracer | undefined;
  /** Default: the global meter provider's meter `@reportei-connect/client`. */
  meter?: Meter | undefined;
  /** The client's baseUrl, for `server.address` and `server.port`. Default: the API's. */
  baseUrl?: string | URL | undefined;
}

/**
 * An `onEvent` for `createConnectClient` that turns the client's events into OpenTelemetry spans and
 * metrics, following the HTTP client semantic conventions: a CLIENT span per attempt (`GET
 * /customers/{uuid}`), the `http.client.request.duration` histogram, and the time spent waiting for
 * the rate limit. It uses `@opentelemetry/api` only: the application's SDK decides what is exported.
 */
export function connectTelemetry(options: ConnectTelemetryOptions = {}): (event: ConnectEvent) => void {
  const tracer = options.tracer ?? trace.getTracer('@reportei-connect/client');
  const meter = options.meter ?? metrics.getMeter('@reportei-connect/client');
  const url = new URL(options.baseUrl ?? 'https://connect.reportei.com/api');
  const server = { 'server.address': url.hostname, 'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80) };
  const duration = meter.createHistogram('http.client.request.duration', {
    unit: 's',
    description: 'Duration of HTTP client requests.',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  });
  const waits = meter.createHistogram('reportei_connect.rate_limit.wait.duration', { unit: 's', description: 'Time calls waited for the rate limit before being sent.' });
  const storeErrors = meter.createCounter('reportei_connect.rate_limit.store.errors', { description: 'Failures of the shared rate-limit store (calls then paced in process).' });
  /** The span of each call's attempt in flight, by callId. */
  const open = new Map<number, Span>();
  const end = (callId: number, attributes: Record<string, string | number>, failed: boolean) => {
    const span = open.get(callId);
    if (!span) return;
    open.delete(callId);
    span.setAttributes(attributes);
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  return (event) => {
    if (event.type === 'rate-limit-store-error') return storeErrors.add(1);
    const attributes = { 'http.request.method': event.method, 'url.template': event.path, ...server };
    switch (event.type) {
      case 'request':
        open.set(
          event.callId,
          tracer.startSpan(`${event.method} ${event.path}`, {
            kind: SpanKind.CLIENT,
            attributes: {
              ...attributes,
              ...(event.attempt > 1 && { 'http.request.resend_count': event.attempt - 1 }),
              ...(event.operationId && { 'reportei_connect.operation_id': event.operationId }),
            },
          }),
        );
        return;
      case 'response': {
        const failed = event.status >= 400;
        const result = { 'http.response.status_code': event.status, ...(failed && { 'error.type': String(event.status) }) };
        duration.record(event.durationMs / 1000, { ...attributes, ...result });
        return end(event.callId, result, failed);
      }
      // An attempt that ended without a response: a retried one, or the call's last.
      case 'retry':
        return end(event.callId, { 'error.type': event.reason === 'timeout' ? 'timeout' : 'connection' }, event.status === 0);
      case 'error':
        return end(event.callId, { 'error.type': event.name }, true);
      case 'rate-limit-wait':
        return waits.record(event.durationMs / 1000, { ...attributes, 'reportei_connect.rate_limit.reason': event.reason });
    }
  };
}
