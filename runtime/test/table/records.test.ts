import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';

describeOnEachStore('Table API records', (variant) => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime(variant.settings());
  });
  afterAll(() => runtime.dispose());

  async function createIncident(body: Record<string, unknown>) {
    const response = await runtime.call('POST', '/api/now/table/incident', { body });
    expect(response.status).toBe(201);
    return (await response.json()).result as Record<string, unknown>;
  }

  describe('creating a record', () => {
    it('answers 201 with the system fields, defaults, a number and a Location', async () => {
      const response = await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'Email is down', priority: '2' } });
      expect(response.status).toBe(201);
      const { result } = await response.json();
      expect(result.sys_id).toMatch(/^[0-9a-f]{32}$/);
      expect(response.headers.get('location')).toBe(`/api/now/table/incident/${result.sys_id}`);
      expect(result).toMatchObject({
        short_description: 'Email is down',
        priority: '2',
        state: '1',
        active: true,
        sys_class_name: 'incident',
        sys_created_by: 'admin',
        sys_updated_by: 'admin',
        sys_mod_count: 0,
        sys_domain: 'global',
        comments: [],
        work_notes: [],
      });
      expect(result.number).toMatch(/^INC\d{7}$/);
      expect(result.sys_created_on).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(result.opened_at).toBe(result.sys_created_on);
      const me = await (await runtime.call('GET', '/api/lockstep/v1/me')).json();
      expect(result.opened_by).toBe(me.result.sysId);
    });

    it('accepts the string values older clients send and stores them typed', async () => {
      const result = await createIncident({ active: 'false', reassignment_count: '3', opened_at: '2026-01-02T03:04:05+01:00' });
      expect(result).toMatchObject({ active: false, reassignment_count: 3, opened_at: '2026-01-02 02:04:05' });
    });

    it('gives concurrent inserts distinct, increasing numbers', async () => {
      const created = await Promise.all(Array.from({ length: 20 }, () => createIncident({ short_description: 'parallel' })));
      const numbers = created.map((record) => record.number as string);
      expect(new Set(numbers).size).toBe(20);
      const cases = await Promise.all([1, 2].map(async () => (await (await runtime.call('POST', '/api/now/table/case', { body: {} })).json()).result));
      expect(cases.map((record) => record.number).sort()).toEqual(['CS0010001', 'CS0010002']);
    });
  });

  describe('reading a record', () => {
    it('returns only the fields asked for with sysparm_fields', async () => {
      const created = await createIncident({ short_description: 'Printer jam' });
      const response = await runtime.call('GET', `/api/now/table/incident/${created.sys_id}?sysparm_fields=number,short_description`);
      expect(await response.json()).toEqual({ result: { number: created.number, short_description: 'Printer jam' } });
    });

    it('answers 404 for a sys_id that is not there', async () => {
      const response = await runtime.call('GET', `/api/now/table/incident/${'0'.repeat(32)}`);
      expect(response.status).toBe(404);
      expect((await response.json()).detail).toContain('no incident record');
    });
  });

  describe('updating a record', () => {
    it('PATCH changes the named fields only and counts the modification', async () => {
      const created = await createIncident({ short_description: 'VPN flaps', priority: '3' });
      const response = await runtime.call('PATCH', `/api/now/table/incident/${created.sys_id}`, { body: { state: '2' } });
      expect(response.status).toBe(200);
      const { result } = await response.json();
      expect(result).toMatchObject({ state: '2', priority: '3', short_description: 'VPN flaps', sys_mod_count: 1, number: created.number });
    });

    it('PUT updates like PATCH, as in the original', async () => {
      const created = await createIncident({ short_description: 'Old' });
      const { result } = await (await runtime.call('PUT', `/api/now/table/incident/${created.sys_id}`, { body: { short_description: 'New' } })).json();
      expect(result).toMatchObject({ short_description: 'New', state: '1', sys_mod_count: 1 });
    });

    it('clears a field written as null or an empty string', async () => {
      const created = await createIncident({ short_description: 'x', description: 'to be cleared', close_code: 'c' });
      const { result } = await (await runtime.call('PATCH', `/api/now/table/incident/${created.sys_id}`, { body: { description: null, close_code: '' } })).json();
      expect(result).toMatchObject({ description: null, close_code: null, short_description: 'x' });
    });
  });

  describe('journal fields', () => {
    it('append an entry per write and return the history newest first', async () => {
      const created = await createIncident({ short_description: 'Laptop', comments: 'First comment' });
      await runtime.call('PATCH', `/api/now/table/incident/${created.sys_id}`, { body: { comments: 'Second comment', work_notes: 'Checked the disk' } });
      const { result } = await (await runtime.call('GET', `/api/now/table/incident/${created.sys_id}`)).json();
      expect(result.comments.map((entry: { value: string }) => entry.value)).toEqual(['Second comment', 'First comment']);
      expect(result.work_notes).toEqual([{ value: 'Checked the disk', created_by: 'admin', created_on: expect.stringMatching(/^\d{4}-/) }]);
    });

    it('add nothing for an empty entry', async () => {
      const created = await createIncident({ comments: 'only one' });
      const { result } = await (await runtime.call('PATCH', `/api/now/table/incident/${created.sys_id}`, { body: { comments: '  ' } })).json();
      expect(result.comments).toHaveLength(1);
    });
  });

  describe('table inheritance', () => {
    it('lists children under the parent table, but not siblings under a child', async () => {
      const incident = await createIncident({ short_description: 'inheritance incident' });
      const caseRecord = (await (await runtime.call('POST', '/api/now/table/case', { body: { short_description: 'inheritance case' } })).json()).result;
      const tasks = (await (await runtime.call('GET', '/api/now/table/task?sysparm_query=short_descriptionSTARTSWITHinheritance')).json()).result;
      expect(tasks.map((task: { sys_class_name: string }) => task.sys_class_name).sort()).toEqual(['case', 'incident']);
      expect(tasks[0]).not.toHaveProperty('caller_id');
      const incidents = (await (await runtime.call('GET', '/api/now/table/incident?sysparm_query=short_descriptionSTARTSWITHinheritance')).json()).result;
      expect(incidents.map((record: { sys_id: string }) => record.sys_id)).toEqual([incident.sys_id]);
      expect((await runtime.call('GET', `/api/now/table/incident/${caseRecord.sys_id}`)).status).toBe(404);
      expect((await runtime.call('GET', `/api/now/table/task/${caseRecord.sys_id}`)).status).toBe(200);
    });

    it('gives each table its own state choices', async () => {
      const response = await runtime.call('POST', '/api/now/table/case', { body: { state: '18' } });
      expect(response.status).toBe(201);
      expect((await runtime.call('POST', '/api/now/table/incident', { body: { state: '18' } })).status).toBe(400);
    });
  });

  describe('deleting a record', () => {
    it('answers 204, and the record is gone', async () => {
      const created = await createIncident({ short_description: 'to delete' });
      expect((await runtime.call('DELETE', `/api/now/table/incident/${created.sys_id}`)).status).toBe(204);
      expect((await runtime.call('GET', `/api/now/table/incident/${created.sys_id}`)).status).toBe(404);
      expect((await runtime.call('DELETE', `/api/now/table/incident/${created.sys_id}`)).status).toBe(404);
    });
  });
});
