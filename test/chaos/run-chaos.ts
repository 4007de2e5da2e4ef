import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACME_DOMAIN } from '../../runtime/src/demo/customers.js';
import { startSyncPair, type SyncPair } from '../support/sync-pair.js';
import { checkRecords, linkErrors, linkErrorsAgree, linksActive, type ChaosCounts, type LinkErrorReport } from './check.js';
import { faultLoop, seeded, type Fault, type FaultPlan } from './faults.js';
import { inPool, writeRecord, type WrittenRecord } from './workload.js';

export interface ChaosOptions {
  /** Records written, half on each instance. */
  records: number;
  /** Comments on each record, at its origin. */
  comments: number;
  faults: FaultPlan;
  /** How long, after the last fault, the pair has to bring every record and comment across with no admin action. */
  recoveryMs: number;
  /** Records written at once on each instance. */
  concurrency: number;
  /** About how long the writes take: they are spread over it, so the faults fall among them. */
  writingMs: number;
  seed: number;
  /** Extra `lockstep start` arguments for both instances (retry settings, say). */
  args?: string[];
}

export interface ChaosReport extends ChaosCounts {
  valid: boolean;
  /** Both links Active and every record across, with no admin action, by the end of the recovery time. */
  recovered: boolean;
  /** ms from the last fault until the check first held (or until it gave up). */
  recoveryMs: number;
  /** Each instance's entries into Error during the run, by its link history, its error subflow's runs and its /metrics. */
  linkErrors: LinkErrorReport[];
  faults: Fault[];
  records: number;
  comments: number;
  seed: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Chaos on a running pair (the two demo instances as real processes, as
 * `npm start` configures them): records and comments written on both while
 * either is SIGKILLed and started again every few seconds; then, from the
 * Table API alone, whether anything was lost, duplicated, reordered or
 * echoed, and whether the pair recovered by itself.
 */
export async function chaosOn(pair: SyncPair, options: ChaosOptions, print: (line: string) => void = () => undefined): Promise<ChaosReport> {
  const { a, b } = pair;
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const admin = basic('admin', pair.adminPassword);
  // The provider sends acme's cases only (its capture definition is acme's): its records are written by an acme agent.
  const agent = { user_name: `chaos.agent.${randomBytes(3).toString('hex')}`, password: randomBytes(12).toString('base64url'), roles: ['itil'], sys_domain: ACME_DOMAIN };
  await b.api.call('POST', '/api/lockstep/v1/users', agent, { expected: 201 });
  const acmeAgent = basic(agent.user_name, agent.password);
  const random = seeded(options.seed);
  const tag = `${options.seed.toString(36)}${Date.now().toString(36)}`;
  const labels = (origin: string, count: number) => Array.from({ length: count }, (_unused, index) => `Chaos ${tag} ${origin}-${index + 1}`);
  const half = Math.ceil(options.records / 2);
  const deadline = Date.now() + 30 * 60_000;
  // Each writer pauses between its writes so that all of them take about writingMs, as users would spread them.
  const writesPerSide = half * (1 + options.comments);
  const paceMs = Math.floor((options.writingMs * options.concurrency) / writesPerSide);
  let writing = true;
  print(`chaos: seed ${options.seed}, ${options.records} records x ${options.comments} comments, a kill every ${options.faults.gapMs.join('-')} ms, down ${options.faults.downMs.join('-')} ms, at most ${options.faults.maxKills}`);
  const started = Date.now();
  const faultsDone = faultLoop([a, b], options.faults, random, () => !writing, (fault, count) =>
    print(`chaos: ${((fault.at - started) / 1000).toFixed(1)} s: kill ${count} of ${options.faults.maxKills}, the ${fault.instance}, down ${fault.downMs} ms`),
  );
  let written: WrittenRecord[];
  let faults: Fault[];
  try {
    written = (
      await Promise.all([
        inPool(labels('A', half), options.concurrency, (label) => writeRecord(a, b, admin, label, options.comments, { deadline, paceMs })),
        inPool(labels('B', options.records - half), options.concurrency, (label) => writeRecord(b, a, acmeAgent, label, options.comments, { deadline, paceMs })),
      ])
    ).flat();
  } finally {
    // Also when a write failed for good: the loop must not start an instance again after the pair is closed.
    writing = false;
    faults = await faultsDone;
  }
  const lastFault = faults.at(-1)?.at ?? Date.now();
  print(`chaos: ${written.length} records and ${written.length * options.comments} comments written; ${faults.length} kills (${faults.filter((fault) => fault.instance === 'consumer').length} of the consumer); checking`);

  // The pair is left alone now: the check waits for it to bring everything across, up to the recovery time.
  const giveUp = Date.now() + options.recoveryMs;
  let [counts, active] = await Promise.all([checkRecords(written, admin), linksActive([a, b], admin)]);
  while (!(active && counts.ok === written.length) && Date.now() < giveUp) {
    await pause(500);
    [counts, active] = await Promise.all([checkRecords(written, admin), linksActive([a, b], admin)]);
  }
  const recovered = active && counts.lost === 0;
  const errors = await linkErrors([a, b], admin, started);
  const valid = recovered && counts.ok === written.length && counts.duplicated === 0 && counts.reordered === 0 && counts.echoed === 0 && linkErrorsAgree(errors);
  return { ...counts, valid, recovered, recoveryMs: Date.now() - lastFault, linkErrors: errors, faults, records: written.length, comments: written.length * options.comments, seed: options.seed };
}

/** A pair of its own, chaos on it, and the pair removed. */
export async function runChaos(options: ChaosOptions, print: (line: string) => void = () => undefined): Promise<ChaosReport> {
  const root = await mkdtemp(join(tmpdir(), 'lockstep-chaos-'));
  let pair: SyncPair | undefined;
  try {
    pair = await startSyncPair(root, { kind: 'embedded' }, options.args ?? []);
    return await chaosOn(pair, options, print);
  } finally {
    await pair?.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** The report as Jepsen prints its results. */
export function summary(report: ChaosReport): string {
  const kills = (name: string) => report.faults.filter((fault) => fault.instance === name).length;
  return [
    `{:valid?     ${report.valid}`,
    ` :ok         ${report.ok}   ; of ${report.records} records (${report.comments} comments)`,
    ` :lost       ${report.lost}`,
    ` :duplicated ${report.duplicated}`,
    ` :reordered  ${report.reordered}`,
    ` :echoed     ${report.echoed}`,
    ` :recovered  ${report.recovered}   ; both links Active with no admin action, ${(report.recoveryMs / 1000).toFixed(1)} s after the last fault`,
    ` :faults     {:kills ${report.faults.length}, :consumer ${kills('consumer')}, :provider ${kills('provider')}}`,
    ` :link-errors {${report.linkErrors.map((side) => `:${side.instance} ${side.entries}`).join(', ')}}   ; entries into Error, by the link histories`,
    ` :error-runs  {${report.linkErrors.map((side) => `:${side.instance} ${side.errorSubflowRuns}`).join(', ')}}   ; error subflow runs, one per entry`,
    ` :metrics     {${report.linkErrors.map((side) => `:${side.instance} [${side.metricEntries} ${side.metricSeconds.toFixed(1)}]`).join(', ')}}   ; /metrics: entries into Error, seconds in Error`,
    ` :seed       ${report.seed}}`,
  ].join('\n');
}
