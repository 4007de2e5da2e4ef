import { flowContextViewSchema } from '@lockstep/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { answer, domainCaller } from './domain-callers.js';

const SYNC = '/api/lockstep/v1/sync';
/** The peer's record for this instance; nothing listens at the connection's base URL. */
const PEER_RECORD = 'ee'.repeat(16);

describe('a dry run of an outbound subflow', () => {
  let runtime: TestRuntime;
  let subflow: string;
  let remoteSystem: string;
  let capture: string;
  let incident: string;

  const create = async (path: string, body: Record<string, unknown>) => (await answer(await runtime.call('POST', path, { body }), 201)).result;
  const payload = (captureDefinition: string) => ({
    table: 'incident',
    sys_id: incident,
    operation: 'update',
    fields: { short_description: 'Mail is down' },
    changed: ['short_description'],
    journal: {},
    attachments: [],
    metadata: { changed_by: 'admin', changed_on: '2026-05-01 10:00:00', domain: 'global', capture_definition: captureDefinition, mod_count: 2 },
  });
  const testRun = (body: Record<string, unknown>) => runtime.call('POST', `/api/lockstep/v1/subflows/${subflow}/test-run`, { body });

  beforeAll(async () => {
    runtime = await startTestRuntime();
    const apiUser = await domainCaller(runtime, 'peer.api', 'global', ['ih_process_sync_api']);
    const runAs = await domainCaller(runtime, 'sync.runner', 'global', ['ih_process_sync_run_as', 'itil']);
    const definition = (await create(`${SYNC}/definitions`, { name: 'Incidents with the provider' })).sys_id;
    const event = (await create(`${SYNC}/process-events`, { process_sync_definition: definition, name: 'Incident to case' })).sys_id;
    remoteSystem = (
      await create(`${SYNC}/remote-systems`, {
        process_sync_definition: definition,
        name: 'provider instance',
        external_id: PEER_RECORD,
        connection: { base_url: 'http://127.0.0.1:9', user_name: 'peer.api', password: 'secret', signing_secrets: ['s'.repeat(40)] },
        inbound_api_user: apiUser.sysId,
        run_as_user: runAs.sysId,
      })
    ).sys_id;
    capture = (await create(`${SYNC}/capture-definitions`, { process_sync_definition: definition, process_event: event, source_table: 'incident', include_fields: ['short_description'] })).sys_id;
    incident = (await create('/api/now/table/incident', { short_description: 'Mail is down' })).sys_id;
    subflow = (await create('/api/lockstep/v1/subflows/outbound-basic/copy', {})).id;
  });
  afterAll(() => runtime?.dispose());

  it('completes, Send recording the envelope it would send, with the process event of the payload’s capture definition', async () => {
    const context = (await answer(await testRun({ inputs: { payload: payload(capture), remoteSystem }, dry_run: true }), 201)).result;
    // The dry run is the run's sync context, apart from the inputs it was given.
    expect(context).toMatchObject({ status: 'completed', test_run: true, sync: { kind: 'dry_run' }, inputs: { remoteSystem } });
    expect(context.inputs).not.toHaveProperty('sync');
    // As the API documents it, which is how the designer reads it.
    expect(flowContextViewSchema.parse(context).sync).toEqual({ kind: 'dry_run' });
    const send = context.steps.sendPayload;
    expect(send).toMatchObject({ status: 'done', output: { accepted: false, dryRun: true } });
    expect(send.output.envelope).toMatchObject({
      id: send.output.envelopeId,
      process_event: 'Incident to case',
      source: { remote_system: remoteSystem, target_remote_system: PEER_RECORD },
      operation: 'update',
      sequence: 1,
      correlation: { receiver_id: null },
      payload: { sys_id: incident, fields: { short_description: 'Mail is down' } },
    });
  });

  it('fails Send without it, saying to run it as a dry run', async () => {
    const context = (await answer(await testRun({ inputs: { payload: payload(capture), remoteSystem } }), 201)).result;
    expect(context.status).toBe('error');
    expect(context.steps.sendPayload.error).toContain('test-run the subflow as a dry run (dry_run: true)');
  });

  it('says which capture definition it could not find, and sends nothing for inputs that name a queue item', async () => {
    const unknown = (await answer(await testRun({ inputs: { payload: payload('ab'.repeat(16)), remoteSystem }, dry_run: true }), 201)).result;
    expect(unknown.steps.sendPayload.error).toContain(`there is no capture definition ${'ab'.repeat(16)}`);
    // Only the queue gives a run its item: an input shaped like the one runs once had is just an input.
    const sync = { item: 'x', sequence: 1, process_event_name: 'Incident to case', operation: 'update' };
    const forged = (await answer(await testRun({ inputs: { payload: payload(capture), remoteSystem, sync } }), 201)).result;
    expect(forged).toMatchObject({ status: 'error', sync: null });
    expect(forged.steps.sendPayload.error).toContain('test-run the subflow as a dry run (dry_run: true)');
    await expectProblem(await testRun({ inputs: {}, dry_run: 'yes' }), 400, 'invalid-body');
  });
});
