import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { describeOnEachStore } from '../support/runtime.js';
import { activate, patch, remoteSystem, SHARED_SECRET, startPeerPair, type PeerSide } from './peer-pair.js';

const NEW_SECRET = 'the-next-signing-secret-of-the-test-pair-02';

describeOnEachStore('Validate and Activate between two runtimes', (variant) => {
  let a: PeerSide;
  let b: PeerSide;
  beforeAll(async () => {
    ({ a, b } = await startPeerPair(variant.settings));
  });
  afterAll(() => Promise.all([a?.runtime.dispose(), b?.runtime.dispose()]));

  const remoteSystemPath = (side: PeerSide) => `/api/lockstep/v1/sync/remote-systems/${side.remoteSystemId}`;

  async function expectStillDisabled(side: PeerSide) {
    expect(await remoteSystem(side)).toMatchObject({ inbound_state: 'disabled', outbound_state: 'disabled' });
  }

  it('names the user whose password the peer refused, and activates nothing', async () => {
    await patch(a.runtime, remoteSystemPath(a), { connection: { password: 'not-the-password' } });
    const problem = await expectProblem(await activate(a), 422, 'remote-system-not-valid');
    expect(problem.errors).toEqual([
      { path: 'connection', message: `the peer at ${b.runtime.url} refused the credentials for user sync.api (401); check the connection's user name and password` },
    ]);
    expect(problem.detail).toContain('1 problem to fix, then run Validate and Activate again');
    expect(JSON.stringify(problem)).not.toContain('not-the-password');
    await expectStillDisabled(a);
    await patch(a.runtime, remoteSystemPath(a), { connection: { password: b.apiUser.password } });
  });

  it("asks for the external id while it is empty, as it is until the peer's record exists", async () => {
    await patch(a.runtime, remoteSystemPath(a), { external_id: null });
    const problem = await expectProblem(await activate(a), 422, 'remote-system-not-valid');
    expect(problem.errors).toEqual([{ path: 'external_id', message: "the external id is empty; set it to the sys_id of the peer's remote system record for this instance" }]);
    await expectStillDisabled(a);
    await patch(a.runtime, remoteSystemPath(a), { external_id: b.remoteSystemId });
  });

  it('lists every finding, local and from the peer', async () => {
    await patch(a.runtime, `/api/lockstep/v1/users/${a.runAsUserId}`, { active: false });
    await patch(b.runtime, remoteSystemPath(b), { external_id: 'e'.repeat(32) });
    await patch(b.runtime, `/api/lockstep/v1/sync/process-events/${b.processEventId}`, { name: 'Request to fulfilment' });
    const problem = await expectProblem(await activate(a), 422, 'remote-system-not-valid');
    expect(problem.errors).toEqual([
      { path: 'run_as_user', message: 'the run-as user sync.run_as is inactive; activate it or pick another user' },
      {
        path: 'peer',
        message: `the peer provider reports: remote system consumer instance on provider has external id ${'e'.repeat(32)}, not ${a.remoteSystemId}; set it to the sys_id of consumer's record`,
      },
      {
        path: 'peer',
        message:
          'the peer provider reports: no process event is shared: consumer has "Incident to case", remote system consumer instance\'s process sync definition on provider has "Request to fulfilment"; give a process event the same name on both instances',
      },
    ]);
    await expectStillDisabled(a);
    await patch(a.runtime, `/api/lockstep/v1/users/${a.runAsUserId}`, { active: true });
    await patch(b.runtime, remoteSystemPath(b), { external_id: a.remoteSystemId });
    await patch(b.runtime, `/api/lockstep/v1/sync/process-events/${b.processEventId}`, { name: 'Incident to case' });
  });

  it('reports a signing secret the peer does not share', async () => {
    await patch(b.runtime, remoteSystemPath(b), { connection: { signing_secrets: [NEW_SECRET] } });
    const problem = await expectProblem(await activate(a), 422, 'remote-system-not-valid');
    expect(problem.errors).toEqual([
      {
        path: 'connection',
        message: `the peer at ${b.runtime.url} refused the handshake (401): the request's signature is not valid for remote system consumer instance: the signature matches none of the signing secrets of the receiving remote system record; both records must share a secret`,
      },
    ]);
    await expectStillDisabled(a);
  });

  it('keeps working while a secret is rotated, each side verifying with its second secret', async () => {
    await patch(a.runtime, remoteSystemPath(a), { connection: { signing_secrets: [SHARED_SECRET, NEW_SECRET] } });
    await patch(b.runtime, remoteSystemPath(b), { connection: { signing_secrets: [NEW_SECRET, SHARED_SECRET] } });
    const response = await activate(a);
    expect(response.status, await response.clone().text()).toBe(200);
    await patch(a.runtime, remoteSystemPath(a), { inbound_state: 'disabled', outbound_state: 'disabled' });
  });

  it('activates both directions of the side that runs it, and only that side', async () => {
    const response = await activate(a);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ result: { findings: [], inbound_state: 'active', outbound_state: 'active' } });
    expect(await remoteSystem(a)).toMatchObject({ inbound_state: 'active', outbound_state: 'active' });
    await expectStillDisabled(b);

    const other = await activate(b);
    expect(other.status, await other.clone().text()).toBe(200);
    expect(await remoteSystem(b)).toMatchObject({ inbound_state: 'active', outbound_state: 'active' });
  });

  it('is for configurers only', async () => {
    const response = await a.runtime.call('POST', `${remoteSystemPath(a)}/activate`, { auth: `Basic ${Buffer.from(`sync.api:${a.apiUser.password}`).toString('base64')}` });
    await expectProblem(response, 403, 'missing-role');
    await expectProblem(await a.runtime.call('POST', `/api/lockstep/v1/sync/remote-systems/${'0'.repeat(32)}/activate`), 404, 'unknown-remote-system');
  });

  it('says the peer is unreachable when it is down, and changes no state', async () => {
    await patch(a.runtime, remoteSystemPath(a), { inbound_state: 'disabled', outbound_state: 'disabled' });
    await b.runtime.stop();
    const problem = await expectProblem(await activate(a), 422, 'remote-system-not-valid');
    expect(problem.errors).toHaveLength(1);
    expect(problem.errors?.[0]?.message).toMatch(new RegExp(`^the peer at ${b.runtime.url} is unreachable \\(.+\\); check the connection's base URL and that the peer is running$`));
    await expectStillDisabled(a);
  });
});
