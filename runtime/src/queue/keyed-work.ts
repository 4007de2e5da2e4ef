import type { KeyedItem } from './offered-items.js';

/*
 * What a queue and the worker that runs it (KeyedWorker) say to each other:
 * the queue decides what may go and does the work, the worker decides when.
 */

/**
 * What a worker does with a key's items: take one, or wait until something
 * stirs the key; `until`, when the wait has an end (a retry's time), is when
 * the store is scanned for it again.
 */
export type KeyChoice<T> = { take: T } | { wait: true; until?: number };

/** What a scan found: items that may be ready, and when the earliest of those it saw waiting (a retry, a wait) comes due. */
export interface Scanned<T> {
  items: T[];
  dueAt?: number;
}

/**
 * One queue as its worker sees it. The queue decides what may go (its
 * order, its remote systems' states) and does the work; the worker decides
 * when, how many at once, and that no item runs twice at one time.
 */
export interface KeyedWork<T extends KeyedItem> {
  /** Items that may be ready, read from the store, oldest first: those no announcement brought. */
  scan(now: number): Promise<Scanned<T>>;
  /** Given the key's items held here, lowest sequence first: the one to take now, or wait. */
  choose(items: readonly T[], now: number): Promise<KeyChoice<T>>;
  /**
   * Takes the item from ready, for this worker until `leaseUntil`: a
   * compare-and-set of the item by its `_id`, which every store makes
   * atomic for all processes on its database. The item as claimed, or null
   * when something else took it first.
   */
  claim(item: T, now: number, leaseUntil: number): Promise<T | null>;
  /** Extends the claim of an item still being worked to `leaseUntil`. */
  renewClaim(claimed: T, leaseUntil: number): Promise<void>;
  /** Claims whose lease ran out before `now` go back to ready. */
  releaseExpired(now: number): Promise<number>;
  /**
   * The ready item of the key of `worked`, just worked, with the lowest
   * sequence, when another process may have queued it and this one not
   * hold it; null when there is none, or when no other process works the
   * store (all it queued was offered here).
   */
  nextReady(worked: T): Promise<T | null>;
  /** Does the claimed item's work and records how it ended. */
  handle(item: T): Promise<void>;
  /**
   * True while every item made ready in the store is offered here: this
   * process writes it alone. Absent: never.
   */
  offersAll?(): boolean;
  /**
   * This process's writes so far to what decides which items may go (a
   * remote system's state, its flows): once it changes, a scan may find
   * items that offers will not bring again. Absent: nothing does.
   */
  decidingWrites?(): number;
  /** An item was stored already claimed for this worker (KeyedWorker.admit): the first claim of its attempt. */
  admitted?(claimed: T): void;
  /**
   * Gives back, unrun, an item admitted while every slot was taken, whose
   * turn found that it may not go now (its remote system paused meanwhile):
   * ready again, as it was before its admission. Only a work that has it is
   * admitted beyond its free slots.
   */
  release?(claimed: T): Promise<void>;
}

/**
 * A new item the worker takes as soon as it is stored (KeyedWorker.admit):
 * the queue stores it claimed, from `startedAt` until `leaseUntil`, and
 * hands it over, or says it was not stored. Either must follow.
 */
export interface Admission<T> {
  readonly startedAt: number;
  readonly leaseUntil: number;
  /**
   * The item as stored, claimed: worked now, or in its turn when every slot
   * is taken. `began` tells the queue the claim began at `startedAt` (its
   * time in the queue ends there, not when it was stored) and gives the item
   * as it is worked.
   */
  run(claimed: T, began: (startedAt: number) => T): void;
  /** It was not stored (a duplicate, a failed write): the key goes on as if it had never been asked. */
  cancel(): void;
}

/** Reads the time: the system clock, or a test's. */
export type Clock = () => number;
