import { beforeAll, describe, expect, it } from 'vitest';
import { activateWithTrigger, entitle, INCIDENT_STATE_RULE, publishNetworkIncident } from '../../runtime/src/demo/network-incident.js';
import { until } from '../../runtime/test/support/until.js';
import { link, useInstances, type Instance } from './instances.js';
import { create, rows, texts, update, type Row } from './reads.js';

/**
 * Remote tasks each consumer raises at once. The figure is 200
 * (LOCKSTEP_REMOTE_TASKS=200), which takes about a minute when the two
 * cores are shared with other work; by default a number that fits a test's
 * 30 s there, through the same paths.
 */
const TASKS = Number(process.env.LOCKSTEP_REMOTE_TASKS ?? 40);
/** Requests each client keeps in flight. */
const IN_FLIGHT = 16;

async function inBatches<T>(count: number, run: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += IN_FLIGHT) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count - start) }, (_, offset) => run(start + offset)))));
  }
  return results;
}

/** The cases P works for one consumer's tasks, by short description. */
async function casesOf(p: Instance, consumer: string): Promise<Row[]> {
  return rows(p, 'case', `sys_domain=global/${consumer}^short_descriptionSTARTSWITH${consumer.toUpperCase()}-`, 'sys_id,short_description,comments,sys_domain');
}

describe('one provider serving two consumers', () => {
  const instances = useInstances('remote-tasks-two-consumers', ['p', 'c1', 'c2'] as const);

  beforeAll(async () => {
    const { p, c1, c2 } = instances();
    const [c1p, c2p] = await Promise.all([link(c1, p), link(c2, p)]);
    const definition = await publishNetworkIncident(p.api);
    await entitle(p.api, definition, c1p.provider.remoteSystemId);
    await entitle(p.api, definition, c2p.provider.remoteSystemId);
    await activateWithTrigger(c1.api, c1p.consumer.remoteSystemId, definition, [INCIDENT_STATE_RULE]);
    // C2 maps it differently: its descriptions and work notes stay at home.
    await activateWithTrigger(c2.api, c2p.consumer.remoteSystemId, definition, [INCIDENT_STATE_RULE, { name: 'description', local_field: null }, { name: 'work_notes', local_field: null }]);
  }, 120_000);

  it(`raises ${TASKS} remote tasks by trigger on each consumer at once`, async () => {
    const { c1, c2 } = instances();
    const raise = (consumer: Instance) =>
      inBatches(TASKS, (index) => {
        const label = `${consumer.name.toUpperCase()}-${index}`;
        return create(consumer, 'incident', { short_description: label, priority: '1', category: 'network', comments: `${label}: please look` });
      });
    expect((await Promise.all([raise(c1), raise(c2)])).flat()).toHaveLength(2 * TASKS);
  });

  it("works each as a case in its consumer's domain, linked both ways", async () => {
    const { p, c1, c2 } = instances();
    const arrived = async () => {
      const [fromC1, fromC2] = await Promise.all([casesOf(p, 'c1'), casesOf(p, 'c2')]);
      return fromC1.length === TASKS && fromC2.length === TASKS;
    };
    await until(arrived, `P works ${TASKS} cases for each consumer`, 25_000, 250);
    for (const consumer of [c1, c2]) {
      const linked = await until(async () => {
        const tasks = await rows(consumer, 'remote_task', 'active=true', 'remote_number');
        return tasks.length === TASKS && tasks.every((task) => /^RTASK/.test(String(task.remote_number))) && tasks;
      }, `every remote task on ${consumer.name} knows its number on P`, 10_000, 250);
      expect(linked).toHaveLength(TASKS);
    }
  });

  it("brings P's comment on each case back to its own incident only, none lost or doubled", async () => {
    const { p, c1, c2 } = instances();
    const cases = [...(await casesOf(p, 'c1')), ...(await casesOf(p, 'c2'))];
    await inBatches(cases.length, (index) => update(p, 'case', cases[index]!.sys_id, { comments: `P on ${cases[index]!.short_description}` }));
    for (const consumer of [c1, c2]) {
      const label = consumer.name.toUpperCase();
      const answered = await until(async () => {
        const incidents = await rows(consumer, 'incident', `short_descriptionSTARTSWITH${label}-`, 'short_description,comments');
        return incidents.every((incident) => texts(incident.comments).length === 2) && incidents;
      }, `every incident on ${consumer.name} has P's answer`, 12_000, 250);
      expect(answered).toHaveLength(TASKS);
      for (const incident of answered) {
        expect(texts(incident.comments), incident.short_description).toEqual([`${incident.short_description}: please look`, `P on ${incident.short_description}`]);
      }
    }
    // On P, each consumer's cases hold its own comments and P's answers only, in its own domain.
    for (const kase of await rows(p, 'case', 'short_descriptionSTARTSWITHC', 'short_description,comments,sys_domain')) {
      expect(kase.sys_domain).toBe(`global/${String(kase.short_description).split('-')[0]!.toLowerCase()}`);
      expect(texts(kase.comments)).toEqual([`${kase.short_description}: please look`, `P on ${kase.short_description}`]);
    }
  });
});
