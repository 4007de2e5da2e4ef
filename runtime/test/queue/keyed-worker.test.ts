import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyedWorker } from '../../src/queue/keyed-worker.js';
import type { KeyChoice, KeyedWork, Scanned } from '../../src/queue/keyed-work.js';
import type { WorkerOptions } from '../../src/queue/worker-options.js';

const silent = pino({ level: 'silent' });

interface Item {
  _id: string;
  correlation_key: string;
  sequence: number;
  status: 'ready' | 'processing' | 'done';
  lease_until: number | null;
}

/**
 * A queue in memory with the semantics the stores give the real ones: the
 * claim is a compare-and-set, and the head of a key is its lowest sequence
 * not yet done. `handle` is what each test says an item's work is.
 */
class MemoryQueue implements KeyedWork<Item> {
  readonly items = new Map<string, Item>();
  offersAll?: () => boolean;
  readonly claims: string[] = [];
  readonly handled: string[] = [];
  handle: (item: Item) => Promise<void> = async (item) => this.finish(item);

  add(key: string, sequence: number): Item {
    const item: Item = { _id: `${key}#${sequence}`, correlation_key: key, sequence, status: 'ready', lease_until: null };
    this.items.set(item._id, item);
    return { ...item };
  }

  finish(item: Item): void {
    this.handled.push(item._id);
    this.items.get(item._id)!.status = 'done';
  }

  async scan(): Promise<Scanned<Item>> {
    return { items: [...this.items.values()].filter((item) => item.status === 'ready').map((item) => ({ ...item })) };
  }

  async choose([head]: readonly Item[]): Promise<KeyChoice<Item>> {
    if (!head) return { wait: true };
    const earlier = [...this.items.values()].some((item) => item.correlation_key === head.correlation_key && item.sequence < head.sequence && item.status !== 'done');
    return earlier ? { wait: true } : { take: head };
  }

  async claim(item: Item, _now: number, leaseUntil: number): Promise<Item | null> {
    this.claims.push(item._id);
    const stored = this.items.get(item._id);
    if (stored?.status !== 'ready') return null;
    stored.status = 'processing';
    stored.lease_until = leaseUntil;
    return { ...stored };
  }

  async renewClaim(item: Item, leaseUntil: number): Promise<void> {
    const stored = this.items.get(item._id);
    if (stored?.status === 'processing') stored.lease_until = leaseUntil;
  }

  async nextReady(worked: Item): Promise<Item | null> {
    const ready = [...this.items.values()].filter((item) => item.correlation_key === worked.correlation_key && item.status === 'ready');
    const [next] = ready.sort((a, b) => a.sequence - b.sequence);
    return next ? { ...next } : null;
  }

  async releaseExpired(now: number): Promise<number> {
    let released = 0;
    for (const item of this.items.values()) {
      if (item.status === 'processing' && (item.lease_until ?? 0) < now) {
        item.status = 'ready';
        item.lease_until = null;
        released += 1;
      }
    }
    return released;
  }

  /** Stores a new item as the real queues do: claimed when the worker admits it, ready (and offered) otherwise. */
  async queue(worker: KeyedWorker<Item>, key: string, sequence: number): Promise<'admitted' | 'offered'> {
    const item = { _id: `${key}#${sequence}`, correlation_key: key, sequence, status: 'ready' as const, lease_until: null };
    const admission = await worker.admit(item);
    if (!admission) {
      worker.offer(this.add(key, sequence));
      return 'offered';
    }
    const claimed = { ...item, status: 'processing' as const, lease_until: admission.leaseUntil };
    this.items.set(item._id, claimed);
    admission.run({ ...claimed }, (startedAt) => {
      this.began.set(item._id, startedAt);
      return { ...claimed };
    });
    return 'admitted';
  }

  /** When each admitted item's claim began, by id. */
  readonly began = new Map<string, number>();
}

/** A queue that can give back an item admitted ahead of its turn, so its worker admits items beyond its free slots. */
class ReleasingQueue extends MemoryQueue {
  paused = false;
  readonly released: string[] = [];

  override async choose(items: readonly Item[]): Promise<KeyChoice<Item>> {
    return this.paused ? { wait: true } : super.choose(items);
  }

  async release(claimed: Item): Promise<void> {
    this.released.push(claimed._id);
    const stored = this.items.get(claimed._id);
    if (stored?.status === 'processing') Object.assign(stored, { status: 'ready', lease_until: null });
  }
}

/** When each scan of `queue` begins, in ms from now; `read` is what a scan does, given the queue's own. */
function scansOf(queue: MemoryQueue, read: (scan: () => Promise<Scanned<Item>>) => Promise<Scanned<Item>> = (scan) => scan()): number[] {
  const start = Date.now();
  const scannedAt: number[] = [];
  const scan = queue.scan.bind(queue);
  queue.scan = async () => {
    scannedAt.push(Date.now() - start);
    return read(scan);
  };
  return scannedAt;
}

/** Lets every promise that can settle now settle, with timers frozen. */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

/** Starts `worker`, and lets its first scan offer what it found: until then, offers may not bring every ready item. */
async function startScanned(worker: KeyedWorker<Item>): Promise<void> {
  await worker.start(false);
  await settle();
}

describe('the keyed queue worker', () => {
  const workers: KeyedWorker<Item>[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    vi.useRealTimers();
  });

  function workerOn(queue: MemoryQueue, options: WorkerOptions = {}): KeyedWorker<Item> {
    const worker = new KeyedWorker(queue, silent, 'test queue', { scanIntervalMs: 1_000, ...options });
    workers.push(worker);
    return worker;
  }

  it("works one key's items strictly in sequence, and different keys side by side", async () => {
    const queue = new MemoryQueue();
    const running = new Set<string>();
    let mostKeysAtOnce = 0;
    const gates = new Map<string, () => void>();
    queue.handle = async (item) => {
      expect(running.has(item.correlation_key)).toBe(false);
      running.add(item.correlation_key);
      mostKeysAtOnce = Math.max(mostKeysAtOnce, running.size);
      await new Promise<void>((resolve) => gates.set(item._id, resolve));
      running.delete(item.correlation_key);
      queue.finish(item);
    };
    const worker = workerOn(queue, { concurrency: 8 });
    await worker.start(true);
    // Offered out of order: the worker still takes 1, then 2, then 3.
    for (const [key, sequence] of [['a', 3], ['a', 1], ['b', 1], ['a', 2], ['b', 2]] as const) worker.offer(queue.add(key, sequence));
    for (let round = 0; round < 3; round++) {
      await settle();
      for (const [id, open] of [...gates]) {
        gates.delete(id);
        open();
      }
    }
    await settle();
    expect(queue.handled.filter((id) => id.startsWith('a#'))).toEqual(['a#1', 'a#2', 'a#3']);
    expect(queue.handled.filter((id) => id.startsWith('b#'))).toEqual(['b#1', 'b#2']);
    expect(mostKeysAtOnce).toBe(2);
  });

  it('works no more keys at once than its concurrency', async () => {
    const queue = new MemoryQueue();
    let atOnce = 0;
    let most = 0;
    const waiting: (() => void)[] = [];
    queue.handle = async (item) => {
      atOnce += 1;
      most = Math.max(most, atOnce);
      await new Promise<void>((resolve) => waiting.push(resolve));
      atOnce -= 1;
      queue.finish(item);
    };
    const worker = workerOn(queue, { concurrency: 3 });
    await worker.start(true);
    for (let key = 0; key < 10; key++) worker.offer(queue.add(`k${key}`, 1));
    while (queue.handled.length < 10) {
      await settle();
      waiting.splice(0).forEach((open) => open());
    }
    expect(most).toBe(3);
  });

  it('finds by its scans the items no one offered, such as another process queued', async () => {
    const queue = new MemoryQueue();
    const worker = workerOn(queue);
    await worker.start(false);
    queue.add('quiet', 1);
    await settle();
    expect(queue.handled).toEqual([]);
    // Its first scan found nothing, so the next comes after twice the scan interval.
    await vi.advanceTimersByTimeAsync(2_000);
    expect(queue.handled).toEqual(['quiet#1']);
  });

  it('lets another worker take an item whose worker died holding it, once its lease ends', async () => {
    const queue = new MemoryQueue();
    // The first worker's process "dies" mid-item: its work never ends, and a dead process renews nothing.
    queue.handle = () => new Promise<void>(() => undefined);
    const deadProcess = new Proxy(queue, { get: (target, property) => (property === 'renewClaim' ? async () => undefined : Reflect.get(target, property)) });
    const dying = new KeyedWorker(deadProcess, silent, 'dying', { leaseMs: 5_000, scanIntervalMs: 1_000 });
    await dying.start(false);
    dying.offer(queue.add('r', 1));
    await settle();
    expect(queue.items.get('r#1')?.status).toBe('processing');

    queue.handle = async (item) => queue.finish(item);
    const survivor = workerOn(queue, { leaseMs: 5_000 });
    await survivor.start(false);
    await vi.advanceTimersByTimeAsync(3_000);
    // Still held: the lease has not run out, so the survivor must not take it.
    expect(queue.handled).toEqual([]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(queue.handled).toEqual(['r#1']);
  });

  it('keeps an item whose work outlasts its lease, renewing the claim while the work goes on', async () => {
    const queue = new MemoryQueue();
    let finishWork: () => void = () => undefined;
    let started = 0;
    queue.handle = async (item) => {
      started += 1;
      await new Promise<void>((resolve) => (finishWork = resolve));
      queue.finish(item);
    };
    const [slow, other] = [workerOn(queue, { leaseMs: 3_000 }), workerOn(queue, { leaseMs: 3_000 })];
    await Promise.all([slow.start(false), other.start(false)]);
    slow.offer(queue.add('long', 1));
    await settle();
    // Three leases' time, with both workers scanning for expired claims all along.
    await vi.advanceTimersByTimeAsync(9_000);
    expect(started).toBe(1);
    expect(queue.items.get('long#1')?.status).toBe('processing');
    finishWork();
    await settle();
    expect(queue.handled).toEqual(['long#1']);
  });

  it('renews a claim once at a time: a renewal the store is slow to make is not joined by more behind it', async () => {
    const queue = new MemoryQueue();
    let finishWork: () => void = () => undefined;
    queue.handle = async (item) => {
      await new Promise<void>((resolve) => (finishWork = resolve));
      queue.finish(item);
    };
    // The store takes a whole lease to make each renewal, as FerretDB's writes did when they queued under load.
    let renewals = 0;
    const renew = queue.renewClaim.bind(queue);
    queue.renewClaim = async (claimed, leaseUntil) => {
      renewals += 1;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await renew(claimed, leaseUntil);
    };
    const worker = workerOn(queue, { leaseMs: 3_000 });
    await worker.start(false);
    worker.offer(queue.add('slow', 1));
    await settle();
    // Nine thirds of a lease: a renewal on each tick would be 9 by now; one at a time, each lasting three ticks, 3.
    await vi.advanceTimersByTimeAsync(9_000);
    const renewed = renewals;
    finishWork();
    await settle();
    expect(renewed).toBe(3);
    expect(queue.handled).toEqual(['slow#1']);
  });

  it('returns at start every claim left in a store it owns alone, without waiting for leases', async () => {
    const queue = new MemoryQueue();
    queue.add('left', 1);
    await queue.claim({ ...queue.items.get('left#1')! }, 0, Date.now() + 60_000);
    const worker = workerOn(queue);
    await worker.start(true);
    await settle();
    expect(queue.handled).toEqual(['left#1']);
  });

  it('keeps an item whose work failed unexpectedly until its lease ends, then works it again', async () => {
    const queue = new MemoryQueue();
    let attempts = 0;
    queue.handle = async (item) => {
      attempts += 1;
      if (attempts === 1) throw new Error('store went away');
      queue.finish(item);
    };
    const worker = workerOn(queue, { leaseMs: 5_000 });
    await worker.start(false);
    worker.offer(queue.add('f', 1));
    await settle();
    expect(attempts).toBe(1);
    expect(queue.items.get('f#1')?.status).toBe('processing');
    await vi.advanceTimersByTimeAsync(4_000);
    expect(attempts).toBe(1);
    // The lease ends at 5 s; the scans, finding nothing meanwhile, have backed off to 1, 3 and 7 s.
    await vi.advanceTimersByTimeAsync(3_000);
    expect(queue.handled).toEqual(['f#1']);
    expect(attempts).toBe(2);
  });

  it('scans less and less often while it finds nothing, up to its longest wait, and at its interval again once an item is offered', async () => {
    const queue = new MemoryQueue();
    const scannedAt = scansOf(queue);
    const worker = workerOn(queue, { idleScanIntervalMs: 5_000 });
    await worker.start(false);
    await vi.advanceTimersByTimeAsync(16_500);
    expect(scannedAt).toEqual([0, 2_000, 6_000, 11_000, 16_000]);
    worker.offer(queue.add('busy', 1));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(queue.handled).toEqual(['busy#1']);
    expect(scannedAt.at(-1)).toBe(17_500);
  });

  it('keeps scanning at its interval while scans find items no one offered', async () => {
    const queue = new MemoryQueue();
    let scans = 0;
    const scan = queue.scan.bind(queue);
    queue.scan = async () => {
      scans += 1;
      queue.add(`other-process-${scans}`, 1);
      return scan();
    };
    const worker = workerOn(queue);
    await worker.start(false);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(scans).toBe(6);
  });

  it('scans when something a scan saw comes due, however long it has been waiting', async () => {
    const queue = new MemoryQueue();
    const start = Date.now();
    // A retry the scans see, due 9.5 s from the start, while they have backed off to 4 s, then 8.
    const scannedAt = scansOf(queue, async (scan) => ({ ...(await scan()), dueAt: start + 9_500 }));
    const worker = workerOn(queue);
    await worker.start(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(scannedAt).toEqual([0, 2_000, 6_000, 9_500]);
  });

  it('does not claim again an item whose claim ended while a scan read it as ready', async () => {
    const queue = new MemoryQueue();
    const claimed: string[] = [];
    const gate = () => {
      let open: () => void = () => undefined;
      return { wait: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
    };
    const [choosing, scanning] = [gate(), gate()];
    const { choose, claim, scan } = { choose: queue.choose.bind(queue), claim: queue.claim.bind(queue), scan: queue.scan.bind(queue) };
    queue.claim = async (item, now, leaseUntil) => {
      claimed.push(item._id);
      return claim(item, now, leaseUntil);
    };
    const worker = workerOn(queue);
    await worker.start(false);
    // The item's key is being looked at when the next scan reads the store, and claimed before the scan answers.
    queue.choose = async (items) => {
      await choosing.wait;
      return choose(items);
    };
    queue.scan = async () => {
      const read = await scan();
      await scanning.wait;
      return read;
    };
    worker.offer(queue.add('raced', 1));
    await vi.advanceTimersByTimeAsync(1_000);
    choosing.open();
    await settle();
    expect(queue.handled).toEqual(['raced#1']);
    scanning.open();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(claimed).toEqual(['raced#1']);
  });

  it('claims an item once when two workers are offered it together', async () => {
    const queue = new MemoryQueue();
    const [one, two] = [workerOn(queue), workerOn(queue)];
    await Promise.all([one.start(false), two.start(false)]);
    const item = queue.add('shared', 1);
    one.offer(item);
    two.offer(item);
    await settle();
    expect(queue.handled).toEqual(['shared#1']);
  });
  it("goes on with a key's next item another worker holds, without waiting for a scan", async () => {
    const queue = new MemoryQueue();
    let finishFirst: () => void = () => undefined;
    queue.handle = async (item) => {
      if (item.sequence === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
      queue.finish(item);
    };
    const [one, two] = [workerOn(queue), workerOn(queue)];
    await Promise.all([one.start(false), two.start(false)]);
    await vi.advanceTimersByTimeAsync(100);
    // Two processes queued the key's items: the second waits behind the first, which the other worker works.
    one.offer(queue.add('shared', 1));
    two.offer(queue.add('shared', 2));
    await settle();
    finishFirst();
    await settle();
    expect(queue.handled).toEqual(['shared#1', 'shared#2']);
  });

  it('works offered items while a scan is slow to answer', async () => {
    const queue = new MemoryQueue();
    const scan = queue.scan.bind(queue);
    queue.scan = async () => {
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      return scan();
    };
    const worker = workerOn(queue);
    await worker.start(false);
    worker.offer(queue.add('busy', 1));
    worker.offer(queue.add('busy', 2));
    await settle();
    expect(queue.handled).toEqual(['busy#1', 'busy#2']);
    // The scan answers, so the worker stops.
    await vi.advanceTimersByTimeAsync(60_000);
  });

  it('waits after a scan at least twice as long as it took', async () => {
    const queue = new MemoryQueue();
    // Each reads 3 s, and finds an item no one offered, so the interval stays 1 s.
    const scannedAt = scansOf(queue, async (scan) => {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      queue.add(`other-process-${Date.now()}`, 1);
      return scan();
    });
    const worker = workerOn(queue);
    await worker.start(false);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(scannedAt).toEqual([0, 9_000, 18_000]);
    // The last scan answers, so the worker stops.
    await vi.advanceTimersByTimeAsync(1_000);
  });

  it('scans less and less often under load too while every ready item is offered to it, and at its interval otherwise', async () => {
    for (const offersAll of [true, false]) {
      const queue = new MemoryQueue();
      queue.offersAll = () => offersAll;
      const scannedAt = scansOf(queue);
      const worker = workerOn(queue, { idleScanIntervalMs: 5_000 });
      await startScanned(worker);
      // A change offered every 250 ms for 16.5 s, each worked at once.
      for (let change = 1; change <= 66; change++) {
        worker.offer(queue.add(`record-${change}`, 1));
        await vi.advanceTimersByTimeAsync(250);
      }
      expect(queue.handled).toHaveLength(66);
      if (offersAll) expect(scannedAt).toEqual([0, 2_000, 6_000, 11_000, 16_000]);
      else expect(scannedAt.length).toBeGreaterThanOrEqual(16);
      await worker.stop();
    }
  });

  it('scans at its interval again after an offer it could not hold, however every ready item is offered to it', async () => {
    const queue = new MemoryQueue();
    queue.offersAll = () => true;
    const scannedAt = scansOf(queue);
    const worker = workerOn(queue, { idleScanIntervalMs: 8_000, heldLimit: 1 });
    await startScanned(worker);
    await vi.advanceTimersByTimeAsync(7_500);
    expect(scannedAt).toEqual([0, 2_000, 6_000]);
    // The first waits behind an item of its key being worked, so the second finds the held items full.
    let release!: () => void;
    queue.handle = (item) => new Promise<void>((resolve) => (release = () => resolve(queue.finish(item))));
    worker.offer(queue.add('a', 1));
    await settle();
    worker.offer(queue.add('a', 2));
    worker.offer(queue.add('b', 1));
    queue.handle = async (item) => queue.finish(item);
    release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(scannedAt).toEqual([0, 2_000, 6_000, 8_500]);
    expect(queue.handled).toEqual(['a#1', 'a#2', 'b#1']);
  });

  it('scans again when a key it chose to hold back may go', async () => {
    const queue = new MemoryQueue();
    queue.offersAll = () => true;
    const scannedAt = scansOf(queue);
    const choose = queue.choose.bind(queue);
    // The first attempt of a#1 is due at 4.5 s, as a retry is.
    const dueAt = Date.now() + 4_500;
    queue.choose = async (items) => (Date.now() < dueAt ? { wait: true, until: dueAt } : choose(items));
    const worker = workerOn(queue, { idleScanIntervalMs: 60_000 });
    await startScanned(worker);
    worker.offer(queue.add('a', 1));
    await vi.advanceTimersByTimeAsync(4_000);
    expect(queue.handled).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(scannedAt).toContain(4_500);
    expect(queue.handled).toEqual(['a#1']);
  });

  it('takes a new item as it is stored, claimed already, when it would take it at once', async () => {
    const queue = new MemoryQueue();
    queue.offersAll = () => true;
    const worker = workerOn(queue, { concurrency: 2 });
    await startScanned(worker);
    let release!: () => void;
    queue.handle = (item) => new Promise<void>((resolve) => (release = () => resolve(queue.finish(item))));
    expect(await queue.queue(worker, 'a', 1)).toBe('admitted');
    // Its key is being worked: the next of it waits, ready, for its turn.
    expect(await queue.queue(worker, 'a', 2)).toBe('offered');
    queue.handle = async (item) => queue.finish(item);
    release();
    await settle();
    expect(queue.handled).toEqual(['a#1', 'a#2']);
    expect(queue.claims).toEqual(['a#2']);
    expect(queue.items.get('a#1')?.status).toBe('done');
  });

  it('queues a new item ready when a slot, its key or the choice says so, or when offers may not bring every item', async () => {
    const queue = new MemoryQueue();
    let offersAll = false;
    queue.offersAll = () => offersAll;
    const worker = workerOn(queue, { concurrency: 1 });
    await startScanned(worker);
    expect(await queue.queue(worker, 'a', 1)).toBe('offered');
    await settle();
    offersAll = true;
    const gate: (() => void)[] = [];
    queue.handle = (item) => new Promise<void>((resolve) => gate.push(() => resolve(queue.finish(item))));
    expect(await queue.queue(worker, 'b', 1)).toBe('admitted');
    // The one slot is taken.
    expect(await queue.queue(worker, 'c', 1)).toBe('offered');
    gate.shift()?.();
    await settle();
    // c#1 went on in the slot; d#2 waits for d#1, which its choice says.
    queue.add('d', 1);
    gate.shift()?.();
    await settle();
    expect(await queue.queue(worker, 'd', 2)).toBe('offered');
    expect(queue.handled).toEqual(['a#1', 'b#1', 'c#1']);
  });

  it('admits no new item while one its scan found could not be held', async () => {
    const queue = new MemoryQueue();
    queue.offersAll = () => true;
    queue.add('a', 1);
    queue.add('b', 1);
    // A choice that trusts the worker to hold every ready item, and reads no earlier one in the store.
    queue.choose = async ([head]) => (head ? { take: head } : { wait: true });
    let release!: () => void;
    queue.handle = (item) => new Promise<void>((resolve) => (release = () => resolve(queue.finish(item))));
    const worker = workerOn(queue, { heldLimit: 1 });
    await startScanned(worker);
    // a#1 was held and is being worked; b#1, found beside it, was not held: b#2 must not go before it.
    expect(await worker.admit({ _id: 'b#2', correlation_key: 'b', sequence: 2, status: 'ready', lease_until: null })).toBeUndefined();
    queue.handle = async (item) => queue.finish(item);
    release();
  });

  describe('with every slot taken, where the queue can give a claim back', () => {
    /** Work that ends when the test says, `workMs` of the fake clock after it began: the gates of the work begun and not ended, by item. */
    function gated(queue: MemoryQueue, workMs = 0): Map<string, () => Promise<void>> {
      const gates = new Map<string, () => Promise<void>>();
      queue.handle = (item) =>
        new Promise<void>((resolve) =>
          gates.set(item._id, async () => {
            gates.delete(item._id);
            await vi.advanceTimersByTimeAsync(workMs);
            resolve(queue.finish(item));
            await settle();
          }),
        );
      return gates;
    }

    /** A started worker of one slot, on a queue that offers it every item and can give a claim back, whose work ends when the test says. */
    async function oneSlot(options: WorkerOptions = {}, workMs = 0): Promise<{ queue: ReleasingQueue; worker: KeyedWorker<Item>; gates: Map<string, () => Promise<void>> }> {
      const queue = new ReleasingQueue();
      queue.offersAll = () => true;
      const worker = workerOn(queue, { concurrency: 1, ...options });
      await startScanned(worker);
      return { queue, worker, gates: gated(queue, workMs) };
    }

    /** Lets every work begun end, and what it lets begin, until none is left. */
    async function finishAll(gates: Map<string, () => Promise<void>>): Promise<void> {
      for (let open = gates.values().next().value; open; open = gates.values().next().value) await open();
    }

    it('stores a new item claimed to wait for a slot, and works it in its turn with no claim of its own', async () => {
      const { queue, worker, gates } = await oneSlot();
      expect(await queue.queue(worker, 'a', 1)).toBe('admitted');
      expect(await queue.queue(worker, 'b', 1)).toBe('admitted');
      expect(queue.items.get('b#1')?.status).toBe('processing');
      expect([...gates.keys()]).toEqual(['a#1']);
      await vi.advanceTimersByTimeAsync(250);
      await gates.get('a#1')?.();
      // b#1 began when its slot freed, not when it was stored.
      expect(queue.began.get('b#1')).toBe(queue.began.get('a#1')! + 250);
      await finishAll(gates);
      expect(queue.handled).toEqual(['a#1', 'b#1']);
      expect(queue.claims).toEqual([]);
    });

    it('gives a key stored ready the slot that frees before the items waiting claimed', async () => {
      const { queue, worker, gates } = await oneSlot();
      expect(await queue.queue(worker, 'a', 1)).toBe('admitted');
      expect(await queue.queue(worker, 'a', 2)).toBe('offered');
      expect(await queue.queue(worker, 'b', 1)).toBe('admitted');
      await gates.get('a#1')?.();
      expect([...gates.keys()]).toEqual(['a#2']);
      await finishAll(gates);
      expect(queue.handled).toEqual(['a#1', 'a#2', 'b#1']);
    });

    it('gives an item back, unrun, when its turn finds it may not go', async () => {
      const { queue, worker, gates } = await oneSlot();
      expect(await queue.queue(worker, 'a', 1)).toBe('admitted');
      expect(await queue.queue(worker, 'b', 1)).toBe('admitted');
      queue.paused = true;
      await gates.get('a#1')?.();
      expect(queue.released).toEqual(['b#1']);
      expect(queue.items.get('b#1')?.status).toBe('ready');
      expect(queue.handled).toEqual(['a#1']);
    });

    it('admits no more to wait than its slots work off within a third of a lease, by the time items have taken', async () => {
      const { queue, worker, gates } = await oneSlot({ leaseMs: 3_000 }, 400);
      expect(await queue.queue(worker, 'a', 1)).toBe('admitted');
      // Before any work was timed, one turn of the slots.
      expect(await queue.queue(worker, 'b', 1)).toBe('admitted');
      expect(await queue.queue(worker, 'c', 1)).toBe('offered');
      await gates.get('a#1')?.();
      // Items take 400 ms: two turns wait 800 ms, within 1 s; a third would not.
      expect(await queue.queue(worker, 'd', 1)).toBe('admitted');
      expect(await queue.queue(worker, 'e', 1)).toBe('offered');
      expect(queue.items.get('d#1')?.status).toBe('processing');
      expect(queue.items.get('e#1')?.status).toBe('ready');
      await finishAll(gates);
      expect(queue.handled.sort()).toEqual(['a#1', 'b#1', 'c#1', 'd#1', 'e#1']);
      expect(queue.claims.sort()).toEqual(['c#1', 'e#1']);
    });

    it('leaves the items waiting claimed when it stops, for their leases to return', async () => {
      const { queue, worker, gates } = await oneSlot();
      expect(await queue.queue(worker, 'a', 1)).toBe('admitted');
      expect(await queue.queue(worker, 'b', 1)).toBe('admitted');
      const stopped = worker.stop();
      await gates.get('a#1')?.();
      await stopped;
      expect(queue.handled).toEqual(['a#1']);
      expect(queue.items.get('b#1')?.status).toBe('processing');
      expect(await queue.releaseExpired(Number.MAX_SAFE_INTEGER)).toBe(1);
    });
  });

  it('lets a key go when its new item was not stored after all', async () => {
    const queue = new MemoryQueue();
    queue.offersAll = () => true;
    const worker = workerOn(queue);
    await startScanned(worker);
    const admission = await worker.admit({ _id: 'a#1', correlation_key: 'a', sequence: 1, status: 'ready', lease_until: null });
    expect(admission).toBeDefined();
    worker.offer(queue.add('a', 2));
    await settle();
    expect(queue.handled).toEqual([]);
    admission?.cancel();
    await settle();
    expect(queue.handled).toEqual(['a#2']);
  });
});
