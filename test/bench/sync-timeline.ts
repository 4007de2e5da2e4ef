import type { DemoApi } from '../../runtime/src/demo/api.js';
import { envelopeIdOf } from '../../runtime/src/sync/actions/send-payload.js';
import type { Write } from './table-writer.js';

type Progress = (line: string) => void;

interface OutboundTimes {
  sys_id: string;
  status: string;
  record: { sys_id: string; mod_count: number };
  captured_at: number;
  created_at: number;
  started_at: number | null;
}

interface InboundTimes {
  sys_id: string;
  status: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

/** One change's way from A to B, every time in epoch ms (one machine, one clock). */
export interface ChangeTimes {
  write: Write;
  /** A's write, as capture stamped it. */
  capturedAt: number;
  /** The relay made A's outbound item. */
  queuedAt: number;
  /** A's dispatcher claimed it. */
  claimedAt: number;
  /** B queued the envelope. */
  receivedAt: number;
  /** B's processor claimed it. */
  applyingAt: number;
  /** B's inbound flow finished. */
  appliedAt: number;
}

const PAGE = 1000;
/** Between looks at the queues while changes wait: each look costs each instance six store reads, taken from the changes being measured. */
const LOOK_MS = 3_000;

async function everyItem<T>(api: DemoApi, path: string): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { body } = await api.call('GET', `${path}?limit=${PAGE}&offset=${offset}`);
    const page = body.result as T[];
    items.push(...page);
    if (page.length < PAGE) return items;
  }
}

async function countOf(api: DemoApi, path: string): Promise<number> {
  const { headers } = await api.call('GET', path);
  return Number(headers.get('x-total-count'));
}

const waiting = async (api: DemoApi, queue: 'outbound' | 'inbound') => {
  const [ready, processing, error] = await Promise.all(['ready', 'processing', 'error'].map((status) => countOf(api, `/api/lockstep/v1/sync/${queue}-queue?status=${status}&limit=1`)));
  return { waiting: (ready ?? 0) + (processing ?? 0), error: error ?? 0 };
};

/**
 * Waits until B has processed `total` inbound items in all, printing
 * progress; fails at once, saying where to look, when an item on either
 * side is in error. It looks at the items still waiting, a few on each
 * side: counting the processed ones means reading them all, which would
 * take from the very instances being measured, so that is done only once
 * nothing waits any more. Even the waiting ones are read whole on FerretDB
 * v1, which counts and sorts in its own process after reading every ready
 * item: so it looks every few seconds only. The figures come from the
 * items' own times, not from when the wait saw them end.
 */
export async function untilApplied(a: DemoApi, b: DemoApi, total: number, progress: Progress, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [sending, applying] = await Promise.all([waiting(a, 'outbound'), waiting(b, 'inbound')]);
    if (sending.error + applying.error > 0) {
      throw new Error(`${sending.error} outbound items on A and ${applying.error} inbound items on B are in error; read their error_info in the queues (GET /api/lockstep/v1/sync/{outbound,inbound}-queue?status=error)`);
    }
    if (sending.waiting + applying.waiting === 0) {
      const processed = await countOf(b, '/api/lockstep/v1/sync/inbound-queue?status=processed&limit=1');
      if (processed >= total) return;
    }
    if (Date.now() > deadline) throw new Error(`B did not apply all ${total} changes within ${timeoutMs / 1000} s; check both instances' queues and logs`);
    progress(`    ${sending.waiting.toLocaleString('en')} changes waiting on A to be sent, ${applying.waiting.toLocaleString('en')} on B to be applied`);
    await new Promise((resolve) => setTimeout(resolve, LOOK_MS));
  }
}

/** Joins each write to A's outbound item for it and to B's inbound item for that (by envelope id). */
export async function timesOf(a: DemoApi, b: DemoApi, writes: Write[]): Promise<ChangeTimes[]> {
  const [outbound, inbound] = await Promise.all([
    everyItem<OutboundTimes>(a, '/api/lockstep/v1/sync/outbound-queue'),
    everyItem<InboundTimes>(b, '/api/lockstep/v1/sync/inbound-queue'),
  ]);
  const outboundOf = new Map(outbound.map((item) => [`${item.record.sys_id}:${item.record.mod_count}`, item]));
  const inboundOf = new Map(inbound.map((item) => [item.sys_id, item]));
  return writes.map((write) => {
    const sent = outboundOf.get(`${write.sysId}:${write.modCount}`);
    const received = sent && inboundOf.get(envelopeIdOf(sent.sys_id));
    if (!sent || !received || received.status !== 'processed') {
      throw new Error(`the change to incident ${write.sysId} at mod count ${write.modCount} has ${sent ? `outbound item ${sent.sys_id} (${sent.status}) but no processed inbound item on B` : 'no outbound item on A'}`);
    }
    return {
      write,
      capturedAt: sent.captured_at,
      queuedAt: sent.created_at,
      claimedAt: sent.started_at ?? Number.NaN,
      receivedAt: received.created_at,
      applyingAt: received.started_at ?? Number.NaN,
      appliedAt: received.finished_at ?? Number.NaN,
    };
  });
}
