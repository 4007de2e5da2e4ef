import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsLabelled } from './support/incident-case.js';
import { startSyncPair, until, type PairInstance, type SyncPair } from './support/sync-pair.js';

interface TraceLine {
  component?: string;
  msg: string;
  item: string;
  key: string;
  sequence: number;
  step: string;
  at: number;
  timeInQueueMs: number;
  processingMs?: number;
}

/** The queue steps `side` logged, as OutboundQueueDao or InboundQueueDao lines, since `since` (epoch ms). */
function traced(side: PairInstance, component: 'OutboundQueueDao' | 'InboundQueueDao', since = 0): TraceLine[] {
  return side.process.output
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as TraceLine)
    .filter((line) => line.component === component && line.at >= since);
}

/** The value of the first sample whose name and labels match `pattern`; undefined when there is none. */
function sample(text: string, pattern: string): number | undefined {
  const found = new RegExp(`^${pattern} (\\S+)$`, 'm').exec(text);
  return found ? Number(found[1]) : undefined;
}

/**
 * The operations tooling of two real processes configured as the demo is:
 * what their /metrics show once a change has gone A → B, and the lines the
 * debug switch logs, for the instance and for one remote system.
 */
describe('metrics and the debug switch of a syncing pair (embedded store)', () => {
  let root: string;
  let pair: SyncPair;

  /** Raises an incident on A, and resolves with its sys_id once B has its case. */
  async function synced(label: string): Promise<string> {
    const { body } = await pair.a.api.call('POST', '/api/now/table/incident', { short_description: label, priority: '3' }, { expected: 201 });
    await until(async () => (await recordsLabelled(pair.b, 'case', label)).length === 1, `the case "${label}" is on B`);
    return body.result.sys_id as string;
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lockstep-operations-'));
    pair = await startSyncPair(root, { kind: 'embedded' });
  }, 120_000);
  afterAll(async () => {
    await pair?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('shows queue depths, processing and flow run histograms, link states and process metrics at /metrics', async () => {
    await synced('Metered incident');
    const { a, b } = pair;
    const scrape = async (side: PairInstance) => {
      const response = await fetch(`${side.url}/metrics`);
      expect(response.status).toBe(200);
      return response.text();
    };
    const remoteA = a.config.remoteSystemId;
    const processedOnA = `lockstep_queue_items\\{queue="outbound",status="processed",remote_system="${remoteA}"\\}`;
    // A records its item as sent once B has answered, which may be after B applied it.
    const onA = await until(async () => {
      const text = await scrape(a);
      return (sample(text, processedOnA) ?? 0) >= 1 && text;
    }, "A's item is processed");
    expect(sample(onA, `lockstep_queue_items\\{queue="outbound",status="error",remote_system="${remoteA}"\\}`)).toBe(0);
    expect(sample(onA, `lockstep_queue_processing_seconds_count\\{queue="outbound",remote_system="${remoteA}",outcome="processed"\\}`)).toBeGreaterThanOrEqual(1);
    expect(sample(onA, `lockstep_queue_steps_total\\{queue="outbound",remote_system="${remoteA}",step="processed"\\}`)).toBeGreaterThanOrEqual(1);
    expect(sample(onA, 'lockstep_flow_run_seconds_count\\{subflow="[^"]+",status="completed"\\}')).toBeGreaterThanOrEqual(1);
    expect(sample(onA, `lockstep_remote_system_state\\{remote_system="${remoteA}",name="[^"]+",direction="outbound",state="active"\\}`)).toBe(1);
    expect(sample(onA, `lockstep_remote_system_state\\{remote_system="${remoteA}",name="[^"]+",direction="outbound",state="error"\\}`)).toBe(0);
    expect(sample(onA, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    const processedOnB = `lockstep_queue_items\\{queue="inbound",status="processed",remote_system="${b.config.remoteSystemId}"\\}`;
    // B's case is written by the run, before the item is recorded as applied.
    const onB = await until(async () => {
      const text = await scrape(b);
      return (sample(text, processedOnB) ?? 0) >= 1 && text;
    }, "B's item is processed");
    expect(sample(onB, `lockstep_queue_wait_seconds_count\\{queue="inbound",remote_system="${b.config.remoteSystemId}"\\}`)).toBeGreaterThanOrEqual(1);
  });

  it("logs each step of every queue item while the instance's debug switch is on, and nothing once it is off", async () => {
    const { a } = pair;
    expect(traced(a, 'OutboundQueueDao')).toEqual([]);
    await a.api.call('PUT', '/api/lockstep/v1/sync/debug', { enabled: true }, { expected: 200 });
    expect((await a.api.call('GET', '/api/lockstep/v1/sync/debug')).body.result).toEqual({ enabled: true });
    const traced1 = await synced('Traced incident 1');
    const linesOf = () => traced(a, 'OutboundQueueDao').filter((line) => line.key.startsWith(`incident:${traced1}:`));
    const lines = await until(async () => linesOf().some((line) => line.step === 'sent') && linesOf(), 'A logged the item as sent');
    expect(lines.map((line) => line.step)).toEqual(['queued', 'claimed', 'sent']);
    for (const line of lines) expect(line).toMatchObject({ item: lines[0]!.item, sequence: 1, timeInQueueMs: expect.any(Number) });
    expect(lines.at(-1)?.processingMs).toEqual(expect.any(Number));
    expect(lines.at(-1)?.msg).toBe(`OutboundQueueDao: sent ${lines[0]!.item}`);

    await a.api.call('PUT', '/api/lockstep/v1/sync/debug', { enabled: false }, { expected: 200 });
    const traced2 = await synced('Traced incident 2');
    expect(traced(a, 'OutboundQueueDao').filter((line) => line.key.startsWith(`incident:${traced2}:`))).toEqual([]);
  });

  it("logs the steps of one remote system's items while its debug field is on", async () => {
    const { b } = pair;
    const remote = `/api/lockstep/v1/sync/remote-systems/${b.config.remoteSystemId}`;
    const on = Date.now();
    await b.api.call('PATCH', remote, { debug: true }, { expected: 200 });
    await synced('Traced incident 3');
    // The item first logged as queued after the switch: an earlier one may still finish after it, logged too.
    const stepsOfNew = () => {
      const lines = traced(b, 'InboundQueueDao', on);
      const item = lines.find((line) => line.step === 'queued')?.item;
      return lines.filter((line) => line.item === item).map((line) => line.step);
    };
    expect(await until(async () => stepsOfNew().includes('applied') && stepsOfNew(), 'B logged the item as applied')).toEqual(['queued', 'claimed', 'applied']);

    await b.api.call('PATCH', remote, { debug: false }, { expected: 200 });
    const off = Date.now();
    await synced('Traced incident 4');
    expect(traced(b, 'InboundQueueDao', off)).toEqual([]);
  });
});
