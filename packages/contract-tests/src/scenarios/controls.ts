import type { CustomerIntegration, IntegrationStatus } from '@reportei-connect/client';
import type { ControlClock, ControlClockInput, ControlConnectInput, ControlIntegration, ControlStatusInput, ControlWebhookDeliveries, WebhookDelivery } from '@reportei-connect/sandbox';
import { Unavailable } from '../fixtures.js';
import { pointerOf } from '../spec.js';
import type { ResolvedTarget } from '../target.js';
import type { SchemaValidator } from '../validator.js';
import { describeValue } from '../violations.js';
import { needUnavailable, StepFailure } from './scenario.js';


/**
 * The control endpoints of a @reportei-connect/sandbox (`<origin>/__sandbox`, see its README): what a
 * test needs that the API cannot do, such as moving the clock or connecting a network as the hosted
 * page does. Only on a sandbox (the `sandbox` project, or CONNECT_SANDBOX=1): elsewhere each method
 * throws {@link Unavailable}, so the step that needs it is skipped, saying why.
 */
export class SandboxControls {
  constructor(
    private readonly config: ResolvedTarget,
    private readonly validator: SchemaValidator,
  ) {}

  private async send(method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
    const { controlUrl } = this.config;
    if (!controlUrl) throw new Unavailable(needUnavailable('controls', this.config)!);
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.config.merchantToken}`, ...(body && { 'content-type': 'application/json' }) },
      ...(body && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new StepFailure([`${method} ${new URL(controlUrl).pathname}${path} answered ${response.status}: ${describeValue(text)}`]);
    return JSON.parse(text) as unknown;
  }

  /** The integration in a control endpoint's answer, held to the spec's CustomerIntegration schema as the API's would be. */
  private integration(answer: unknown, what: string): CustomerIntegration {
    const integration = (answer as Partial<ControlIntegration>).customer_integration;
    const failures = this.validator.validate(pointerOf('components', 'schemas', 'CustomerIntegration'), integration);
    if (failures.length > 0) {
      throw new StepFailure(failures.map(({ pointer, expected, actual }) => `${what} /customer_integration${pointer}: expected ${expected}, got ${actual} [CustomerIntegration schema]`));
    }
    return integration as CustomerIntegration;
  }

  /** Moves the sandbox clock forward (trials, session expiry and timestamps follow it). */
  async advanceClock(seconds: number): Promise<string> {
    return ((await this.send('POST', '/clock', { advanceSeconds: seconds } satisfies ControlClockInput)) as ControlClock).now;
  }

  /** Connects a network through an integration session, as the hosted page's Connect button does. */
  async connect(sessionUuid: string, integration: string, sourceName: string): Promise<CustomerIntegration> {
    const answer = await this.send('POST', `/integration-sessions/${encodeURIComponent(sessionUuid)}/connect`, { integration, source_name: sourceName } satisfies ControlConnectInput);
    return this.integration(answer, 'the connect endpoint');
  }

  /** Makes an integration `expired`, `revoked` or `active` again. */
  async setIntegrationStatus(uuid: string, status: IntegrationStatus): Promise<CustomerIntegration> {
    const answer = await this.send('POST', `/customer-integrations/${encodeURIComponent(uuid)}/status`, { status } satisfies ControlStatusInput);
    return this.integration(answer, 'the status endpoint');
  }

  /** The sandbox's webhook deliveries, newest first. */
  async webhookDeliveries(): Promise<WebhookDelivery[]> {
    return ((await this.send('GET', '/webhook-deliveries')) as ControlWebhookDeliveries).data;
  }
}
