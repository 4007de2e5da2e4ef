import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

/** An address of this host other than loopback, which a request to it comes from; undefined on a host with none. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal)?.address;

describe('who may read /metrics', () => {
  let runtime: TestRuntime | undefined;
  afterEach(async () => {
    await runtime?.dispose();
    runtime = undefined;
  });

  it('answers a scraper on this host in Prometheus text, with no credentials, by default', async () => {
    runtime = await startTestRuntime();
    const response = await runtime.call('GET', '/metrics', { auth: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE lockstep_queue_items gauge');
    expect(text).toContain('# TYPE lockstep_queue_processing_seconds histogram');
    expect(text).toContain('# TYPE lockstep_flow_run_seconds histogram');
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
  });

  it.skipIf(outsideAddress === undefined)(`refuses a request from another address by default${outsideAddress === undefined ? ' — skipped: this host has no address but loopback' : ''}`, async () => {
    runtime = await startTestRuntime({ host: '0.0.0.0' });
    const port = new URL(runtime.url).port;
    await expectProblem(await fetch(`http://${outsideAddress}:${port}/metrics`), 403, 'metrics-not-allowed');
    // The same instance answers its API there: only /metrics is kept to this host.
    expect((await fetch(`http://${outsideAddress}:${port}/health`)).status).toBe(200);
  });

  it("asks for an admin's credentials with --metrics admin", async () => {
    runtime = await startTestRuntime({ metrics: 'admin' });
    await expectProblem(await runtime.call('GET', '/metrics', { auth: null }), 401, 'unauthenticated');
    const agent = { user_name: 'metrics.agent', password: 'an-agent-password', roles: ['itil'] };
    expect((await runtime.call('POST', '/api/lockstep/v1/users', { body: agent })).status).toBe(201);
    await expectProblem(await runtime.call('GET', '/metrics', { auth: `Basic ${Buffer.from(`${agent.user_name}:${agent.password}`).toString('base64')}` }), 403, 'missing-role');
    const asAdmin = await runtime.call('GET', '/metrics');
    expect(asAdmin.status).toBe(200);
    expect(await asAdmin.text()).toContain('lockstep_queue_steps_total');
  });

  it('answers 404 with --metrics off', async () => {
    runtime = await startTestRuntime({ metrics: 'off' });
    await expectProblem(await runtime.call('GET', '/metrics'), 404, 'metrics-off');
  });
});
