import type { PairInstance } from '../support/sync-pair.js';

/** One fault the loop caused: which instance was killed, when, and how long it stayed down. */
export interface Fault {
  instance: string;
  at: number;
  downMs: number;
}

export interface FaultPlan {
  /** From one kill to the next, in ms: the 2 to 10 s. */
  gapMs: [number, number];
  /** How long a killed instance stays down before it is started again, in ms. */
  downMs: [number, number];
  /** At most this many kills. */
  maxKills: number;
}

/** The least time an instance runs between its restart and the next kill. */
const MIN_UP_MS = 500;

/** A small seeded generator (mulberry32), so a run's faults can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * SIGKILLs one instance of the pair, either one at random, every few
 * seconds, and starts it again on the same port and data after a short
 * outage, until `stopped` says so or `maxKills` is reached. Resolves once
 * both instances run again, with the faults it caused.
 */
export async function faultLoop(instances: readonly PairInstance[], plan: FaultPlan, random: () => number, stopped: () => boolean, told: (fault: Fault, count: number) => void = () => undefined): Promise<Fault[]> {
  const between = ([low, high]: [number, number]) => low + Math.floor(random() * (high - low));
  const faults: Fault[] = [];
  let wake: (() => void) | undefined;
  // Waits `ms`, or less once the run is over: the loop stops without finishing its gap.
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const poll = setInterval(() => stopped() && wake?.(), 100);
  let lastKill = Date.now();
  try {
    while (faults.length < plan.maxKills) {
      // The gap runs from kill to kill, the outage and the restart within it, so 50 kills 2 to 10 s apart take about 5 minutes
      // however slow a restart is; a restarted instance gets half a second at least before the next kill.
      await wait(Math.max(MIN_UP_MS, between(plan.gapMs) - (Date.now() - lastKill)));
      if (stopped()) break;
      const victim = instances[Math.floor(random() * instances.length)]!;
      const downMs = between(plan.downMs);
      await victim.stop('SIGKILL');
      lastKill = Date.now();
      const fault = { instance: victim.name, at: lastKill, downMs };
      faults.push(fault);
      told(fault, faults.length);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await victim.start();
    }
  } finally {
    clearInterval(poll);
  }
  return faults;
}
