import { beforeAll, describe, expect, it } from 'vitest';
import { node, edge } from '../support/subflow-parts.js';
import { PROCESS_EVENT } from '../../runtime/src/demo/configure.js';
import { pairStores, usePair } from '../support/pair-suite.js';
import { until } from '../support/sync-pair.js';
import {
  authOf,
  configSnapshot,
  createTenantUser,
  InstanceApi,
  publishedSubflow,
  SUBFLOWS,
  SYNC,
  USERS,
  usersSnapshot,
  type TenantUser,
} from '../support/tenancy-provider.js';

/*
 * Black-box probes of domain separation on a provider serving two customers,
 * acme and globex, under global: every probe goes through the HTTP API of two
 * real runtime processes (a consumer and a provider paired as `npm start`
 * pairs them) and checks the status code and that nothing changed.
 */

const ACME = 'global/acme';
const GLOBEX = 'global/globex';

interface InboundItem {
  sys_id: string;
  status: string;
  created_at: number;
  error_info: string | null;
  transform_context: string | null;
}

for (const { name, store, skipped } of pairStores()) {
  describe.skipIf(store === null)(`tenancy: two customer domains on one provider (${name} store)${skipped}`, () => {
    const pairOf = usePair('tenancy', store!);
    let provider: InstanceApi;
    let consumer: InstanceApi;
    let admin: string;
    const people = {} as Record<'acmeAdmin' | 'globexAdmin' | 'acmeAgent' | 'globexAgent' | 'acmeApi' | 'acmeRunAs', TenantUser>;
    let globexCase: { sys_id: string; sys_mod_count: number; short_description: string };
    const acme = {} as Record<'definition' | 'event' | 'remote', string>;

    beforeAll(async () => {
      const pair = pairOf();
      provider = new InstanceApi(pair.b.url);
      consumer = new InstanceApi(pair.a.url);
      admin = authOf({ userName: 'admin', password: pair.adminPassword });
      people.acmeAdmin = await createTenantUser(provider, admin, 'acme.admin', ['admin'], ACME);
      people.globexAdmin = await createTenantUser(provider, admin, 'globex.admin', ['admin'], GLOBEX);
      people.acmeAgent = await createTenantUser(provider, admin, 'acme.agent', ['itil'], ACME);
      people.globexAgent = await createTenantUser(provider, admin, 'globex.agent', ['itil'], GLOBEX);
      people.acmeApi = await createTenantUser(provider, admin, 'acme.api', ['ih_process_sync_api'], ACME);
      people.acmeRunAs = await createTenantUser(provider, admin, 'acme.run_as', ['ih_process_sync_run_as', 'itil'], ACME);
      globexCase = await provider.result(authOf(people.globexAgent), 'POST', '/api/now/table/case', { short_description: 'Globex only' });

      // acme's own integration, made by its own admin.
      const acmeAdmin = authOf(people.acmeAdmin);
      acme.definition = (await provider.result<{ sys_id: string }>(acmeAdmin, 'POST', `${SYNC}/definitions`, { name: 'Acme cases' })).sys_id;
      acme.event = (await provider.result<{ sys_id: string }>(acmeAdmin, 'POST', `${SYNC}/process-events`, { name: PROCESS_EVENT, process_sync_definition: acme.definition })).sys_id;
      acme.remote = (
        await provider.result<{ sys_id: string }>(acmeAdmin, 'POST', `${SYNC}/remote-systems`, {
          process_sync_definition: acme.definition,
          name: 'Acme instance',
          connection: { base_url: pair.a.url, user_name: 'sync.api', password: 'not-used-here', signing_secrets: ['a'.repeat(40)] },
          inbound_api_user: people.acmeApi.sysId,
          run_as_user: people.acmeRunAs.sysId,
        })
      ).sys_id;
    }, 120_000);

    const stored = (path: string) => provider.result(admin, 'GET', path);

    describe('users', () => {
      it('an acme admin cannot read a globex user or the global admin', async () => {
        const before = await usersSnapshot(provider, admin);
        const acmeAdmin = authOf(people.acmeAdmin);
        const globalAdminId = ((await stored(`${USERS}/me`)) as { sysId: string }).sysId;
        expect((await provider.call(acmeAdmin, 'GET', `${USERS}/${people.globexAdmin.sysId}`)).status).toBe(404);
        expect((await provider.call(acmeAdmin, 'GET', `${USERS}/${globalAdminId}`)).status).toBe(404);
        const listed = await provider.result<{ sys_domain: string }[]>(acmeAdmin, 'GET', USERS);
        expect(listed.length).toBeGreaterThan(0);
        expect(listed.every((user) => user.sys_domain === ACME || user.sys_domain.startsWith(`${ACME}/`))).toBe(true);
        expect(await usersSnapshot(provider, admin)).toEqual(before);
      });

      it('an acme admin cannot create a user in globex or in global', async () => {
        const before = await usersSnapshot(provider, admin);
        for (const sys_domain of [GLOBEX, 'global']) {
          const response = await provider.call(authOf(people.acmeAdmin), 'POST', USERS, { user_name: `planted.${sys_domain.replace('/', '.')}`, password: 'a-long-password', roles: ['itil'], sys_domain });
          expect(response.status).toBe(403);
        }
        expect(await usersSnapshot(provider, admin)).toEqual(before);
      });

      it("an acme admin cannot change a globex user or the global admin's password", async () => {
        const before = await usersSnapshot(provider, admin);
        const acmeAdmin = authOf(people.acmeAdmin);
        const globalAdminId = ((await stored(`${USERS}/me`)) as { sysId: string }).sysId;
        for (const target of [people.globexAdmin.sysId, globalAdminId]) {
          expect((await provider.call(acmeAdmin, 'PATCH', `${USERS}/${target}`, { password: 'taken-over-password' })).status).toBe(404);
          expect((await provider.call(acmeAdmin, 'DELETE', `${USERS}/${target}`)).status).toBe(404);
        }
        expect(await usersSnapshot(provider, admin)).toEqual(before);
        // The old passwords still work.
        expect((await provider.call(admin, 'GET', `${USERS}/me`)).status).toBe(200);
        expect((await provider.call(authOf(people.globexAdmin), 'GET', `${USERS}/me`)).status).toBe(200);
      });

      it('an acme admin cannot grant admin at global scope', async () => {
        const before = await usersSnapshot(provider, admin);
        const acmeAdmin = authOf(people.acmeAdmin);
        const attempts = [
          provider.call(acmeAdmin, 'POST', USERS, { user_name: 'acme.usurper', password: 'a-long-password', roles: ['admin'], sys_domain: 'global' }),
          provider.call(acmeAdmin, 'PATCH', `${USERS}/${people.acmeAgent.sysId}`, { roles: ['admin'], sys_domain: 'global' }),
          provider.call(acmeAdmin, 'PATCH', `${USERS}/${people.acmeAdmin.sysId}`, { sys_domain: 'global' }),
        ];
        for (const response of await Promise.all(attempts)) expect(response.status).toBe(403);
        expect(await usersSnapshot(provider, admin)).toEqual(before);
      });

      it('refuses a role that does not exist', async () => {
        const before = await usersSnapshot(provider, admin);
        const response = await provider.call(admin, 'POST', USERS, { user_name: 'odd.roles', password: 'a-long-password', roles: ['superuser'] });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect((await provider.call(admin, 'PATCH', `${USERS}/${people.acmeAgent.sysId}`, { roles: ['itil', 'superuser'] })).status).toBe(400);
        expect(await usersSnapshot(provider, admin)).toEqual(before);
      });

      it('after a password change, the old token gets 401', async () => {
        const scripted = await createTenantUser(provider, admin, 'acme.script', ['itil'], ACME);
        const { token } = await provider.result<{ token: string }>(authOf(scripted), 'POST', `${USERS}/me/tokens`, { name: 'nightly export' });
        const bearer = `Bearer ${token}`;
        expect((await provider.call(bearer, 'GET', `${USERS}/me`)).status).toBe(200);
        await provider.result(authOf(people.acmeAdmin), 'PATCH', `${USERS}/${scripted.sysId}`, { password: 'a-brand-new-password' });
        expect((await provider.call(bearer, 'GET', `${USERS}/me`)).status).toBe(401);
        expect(await provider.result(admin, 'GET', `${USERS}/${scripted.sysId}/tokens`)).toEqual([]);
      });
    });

    describe('configuration', () => {
      it('an acme admin cannot move a configuration record into globex', async () => {
        const before = await configSnapshot(provider, admin);
        const acmeAdmin = authOf(people.acmeAdmin);
        expect((await provider.call(acmeAdmin, 'POST', `${SYNC}/definitions`, { name: 'Planted', sys_domain: GLOBEX })).status).toBe(403);
        expect((await provider.call(acmeAdmin, 'PATCH', `${SYNC}/definitions/${acme.definition}`, { sys_domain: GLOBEX })).status).toBe(403);
        const child = await provider.call(acmeAdmin, 'POST', `${SYNC}/process-events`, { name: 'Planted', process_sync_definition: acme.definition, sys_domain: GLOBEX });
        expect(child.status).toBe(400);
        expect(child.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect((await provider.call(acmeAdmin, 'PATCH', `${SYNC}/remote-systems/${acme.remote}`, { sys_domain: GLOBEX })).status).toBe(400);
        expect(await configSnapshot(provider, admin)).toEqual(before);
      });

      /**
       * Pairs acme's remote system with a record on the consumer and runs Validate and Activate, so that
       * capture has somewhere to send to: the relay queues nothing for a remote system that is disabled.
       */
      async function activateAcmeRemote(): Promise<void> {
        const { a, b } = pairOf();
        const consumerSide = await consumer.result<Record<string, string>>(admin, 'GET', `${SYNC}/remote-systems/${a.config.remoteSystemId}`);
        const secret = 'b'.repeat(40);
        const { sys_id: mirror } = await consumer.result<{ sys_id: string }>(admin, 'POST', `${SYNC}/remote-systems`, {
          process_sync_definition: a.config.definitionId,
          name: 'Acme on the provider',
          external_id: acme.remote,
          connection: { base_url: b.url, user_name: people.acmeApi.userName, password: people.acmeApi.password, signing_secrets: [secret] },
          inbound_api_user: consumerSide.inbound_api_user,
          run_as_user: consumerSide.run_as_user,
        });
        const { userName, password } = a.config.inboundApi;
        await provider.result(authOf(people.acmeAdmin), 'PATCH', `${SYNC}/remote-systems/${acme.remote}`, {
          external_id: mirror,
          connection: { user_name: userName, password, signing_secrets: [secret] },
        });
        await provider.result(authOf(people.acmeAdmin), 'POST', `${SYNC}/remote-systems/${acme.remote}/activate`, undefined, 200);
      }

      it('an acme capture definition never captures a globex record', async () => {
        const acmeAdmin = authOf(people.acmeAdmin);
        await activateAcmeRemote();
        await provider.result(acmeAdmin, 'POST', `${SYNC}/outbound-flows`, { process_sync_definition: acme.definition, process_event: acme.event, remote_system: acme.remote, subflow: 'outbound-basic' });
        await provider.result(acmeAdmin, 'POST', `${SYNC}/capture-definitions`, {
          process_sync_definition: acme.definition,
          process_event: acme.event,
          state: 'active',
          source_table: 'case',
          include_fields: ['short_description'],
        });
        const globexWrite = await provider.result<{ sys_id: string }>(authOf(people.globexAgent), 'POST', '/api/now/table/case', { short_description: 'Globex, after capture' });
        const acmeWrites: string[] = [];
        for (const short_description of ['Acme, after capture', 'Acme, once more']) {
          acmeWrites.push((await provider.result<{ sys_id: string }>(authOf(people.acmeAgent), 'POST', '/api/now/table/case', { short_description })).sys_id);
        }
        const items = await until(async () => {
          const queued = await provider.result<{ record: { sys_id: string }; sys_domain: string }[]>(admin, 'GET', `${SYNC}/outbound-queue?remote_system=${acme.remote}`);
          return acmeWrites.every((id) => queued.some((item) => item.record.sys_id === id)) ? queued : undefined;
        }, 'both acme cases are in the outbound queue');
        expect(items.map((item) => item.record.sys_id)).not.toContain(globexWrite.sys_id);
        expect(items.every((item) => item.sys_domain === ACME)).toBe(true);
      });
    });

    describe('an inbound subflow running as an acme user', () => {
      /** Points the provider's inbound flow at a subflow whose one step is `step`, and makes its run-as user acme's. */
      async function inboundRunsOnly(step: ReturnType<typeof node>): Promise<void> {
        const { b } = pairOf();
        const remote = await stored(`${SYNC}/remote-systems/${b.config.remoteSystemId}`);
        await provider.result(admin, 'PATCH', `${USERS}/${String(remote.run_as_user)}`, { sys_domain: ACME });
        const graph = {
          name: `Inbound probe ${step.id}`,
          kind: 'inbound',
          inputs: [
            { name: 'payload', type: 'object', required: true },
            { name: 'remoteSystem', type: 'string', required: true },
            { name: 'table', type: 'string', required: true },
          ],
          nodes: [node('start', 'flow.start'), step, node('end', 'flow.end')],
          edges: [edge('start', step.id), edge(step.id, 'end')],
        };
        const subflow = await publishedSubflow(provider, admin, { graph });
        const [flow] = await provider.result<{ sys_id: string }[]>(admin, 'GET', `${SYNC}/inbound-flows?process_sync_definition=${b.config.definitionId}`);
        await provider.result(admin, 'PATCH', `${SYNC}/inbound-flows/${flow!.sys_id}`, { subflow });
      }

      /** Raises an incident on the consumer and returns the provider's inbound item for it once the inbound flow ran. */
      async function inboundItemFor(shortDescription: string): Promise<InboundItem> {
        const since = Date.now();
        await consumer.result(admin, 'POST', '/api/now/table/incident', { short_description: shortDescription });
        return until(async () => {
          const items = await provider.result<InboundItem[]>(admin, 'GET', `${SYNC}/inbound-queue?created_after=${since}`);
          return items.find((item) => item.status === 'error' || item.status === 'processed');
        }, 'the provider ran its inbound flow');
      }

      async function failedStep(item: InboundItem, nodeId: string): Promise<string> {
        expect(item.status).toBe('error');
        const context = await stored(`/api/lockstep/v1/contexts/${item.transform_context}`);
        const step = (context.steps as Record<string, { status: string; error: string | null }>)[nodeId];
        expect(step?.status).toBe('failed');
        expect(item.error_info).toBe(step?.error);
        return step?.error ?? '';
      }

      async function globexCaseNow() {
        return stored(`/api/now/table/case/${globexCase.sys_id}`);
      }

      it('cannot look up a globex record', async () => {
        await inboundRunsOnly(node('lookup', 'record.lookup', { table: 'case', query: `sys_id=${globexCase.sys_id}` }));
        const message = await failedStep(await inboundItemFor('Probe: look up'), 'lookup');
        expect(message).toContain(GLOBEX);
        expect(await globexCaseNow()).toMatchObject({ sys_mod_count: globexCase.sys_mod_count, short_description: 'Globex only' });
      });

      it('cannot update a globex record', async () => {
        await inboundRunsOnly(node('update', 'record.update', { table: 'case', sys_id: globexCase.sys_id, values: { short_description: 'Changed by acme' } }));
        const message = await failedStep(await inboundItemFor('Probe: update'), 'update');
        expect(message).toContain(GLOBEX);
        expect(await globexCaseNow()).toMatchObject({ sys_mod_count: globexCase.sys_mod_count, short_description: 'Globex only' });
      });

      it('cannot create a globex record', async () => {
        await inboundRunsOnly(node('create', 'record.create', { table: 'case', values: { short_description: 'Planted in globex', sys_domain: GLOBEX } }));
        const message = await failedStep(await inboundItemFor('Probe: create'), 'create');
        expect(message).toContain('sys_domain');
        expect(await provider.result(admin, 'GET', `/api/now/table/case?short_description=${encodeURIComponent('Planted in globex')}`)).toEqual([]);
      });
    });

    describe('subflows and flow contexts', () => {
      it('an acme outbound flow can use a global subflow, but not a globex one', async () => {
        const globexSubflow = await publishedSubflow(provider, authOf(people.globexAdmin), { copyOf: 'outbound-basic' });
        const acmeAdmin = authOf(people.acmeAdmin);
        // An event of its own: a remote system has one outbound flow per process event.
        const { sys_id: event } = await provider.result<{ sys_id: string }>(acmeAdmin, 'POST', `${SYNC}/process-events`, { name: 'Subflow probe', process_sync_definition: acme.definition });
        const before = await configSnapshot(provider, admin);
        const flow = { process_sync_definition: acme.definition, process_event: event, remote_system: acme.remote };
        const refused = await provider.call(acmeAdmin, 'POST', `${SYNC}/outbound-flows`, { ...flow, subflow: globexSubflow });
        expect(refused.status).toBe(422);
        expect(await configSnapshot(provider, admin)).toEqual(before);
        expect((await provider.call(acmeAdmin, 'GET', `${SUBFLOWS}/${globexSubflow}`)).status).toBe(404);
        const allowed = await provider.result<{ sys_domain: string }>(acmeAdmin, 'POST', `${SYNC}/outbound-flows`, { ...flow, subflow: 'outbound-basic' });
        expect(allowed.sys_domain).toBe(ACME);
      });

      it('contexts of globex runs are invisible to acme', async () => {
        const globexAdmin = authOf(people.globexAdmin);
        const graph = { name: 'Globex log', kind: 'custom', nodes: [node('start', 'flow.start'), node('log', 'flow.log', { message: 'globex data' }), node('end', 'flow.end')], edges: [edge('start', 'log'), edge('log', 'end')] };
        const subflow = await publishedSubflow(provider, globexAdmin, { graph });
        const context = await provider.result<{ sys_id: string; sys_domain: string }>(globexAdmin, 'POST', `${SUBFLOWS}/${subflow}/test-run`, { inputs: {} });
        expect(context.sys_domain).toBe(GLOBEX);
        const acmeAdmin = authOf(people.acmeAdmin);
        expect((await provider.call(acmeAdmin, 'GET', `/api/lockstep/v1/contexts/${context.sys_id}`)).status).toBe(404);
        const listed = await provider.result<{ sys_id: string }[]>(acmeAdmin, 'GET', '/api/lockstep/v1/contexts?limit=1000');
        expect(listed.map((run) => run.sys_id)).not.toContain(context.sys_id);
        expect(await stored(`/api/lockstep/v1/contexts/${context.sys_id}`)).toMatchObject({ sys_domain: GLOBEX });
      });
    });
  });
}
