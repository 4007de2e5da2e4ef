import { describe, expect, it } from 'vitest';
import { Semaphore } from 'async-mutex';
import { documentWrites, type WriteReach } from '@lockstep/store';

/** A write that runs until the test lets it finish, saying when it started. */
function heldWrite(started: string[], name: string): { run: () => Promise<string>; finish: () => void } {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

/** Lets every promise that can settle now settle. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the write lock of FerretDB collections (documentWrites)', () => {
  it('runs writes to different documents, and inserts, together, and two to one document one after the other', async () => {
    const lock = documentWrites(new Semaphore(8));
    const started: string[] = [];
    const writes: [WriteReach, ReturnType<typeof heldWrite>][] = [
      [{ document: 'a' }, heldWrite(started, 'a1')],
      [{ document: 'b' }, heldWrite(started, 'b1')],
      ['new', heldWrite(started, 'insert')],
      [{ document: 'a' }, heldWrite(started, 'a2')],
    ];
    const results = writes.map(([reach, write]) => lock.run(reach, write.run));
    await settle();
    expect([...started].sort()).toEqual(['a1', 'b1', 'insert']);
    writes[0]![1].finish();
    await settle();
    expect(started.at(-1)).toBe('a2');
    for (const [, write] of writes) write.finish();
    expect(await Promise.all(results)).toEqual(['a1', 'b1', 'insert', 'a2']);
  });

  it('runs a write that may reach any document alone, and the writes queued after it only once it is done', async () => {
    const lock = documentWrites(new Semaphore(8));
    const started: string[] = [];
    const before = heldWrite(started, 'before');
    const any = heldWrite(started, 'any');
    const after = heldWrite(started, 'after');
    const results = [lock.run({ document: 'a' }, before.run), lock.run('any', any.run), lock.run('new', after.run)];
    await settle();
    expect(started).toEqual(['before']);
    before.finish();
    await settle();
    expect(started).toEqual(['before', 'any']);
    any.finish();
    await settle();
    expect(started).toEqual(['before', 'any', 'after']);
    after.finish();
    await Promise.all(results);
  });

  it('runs no more reads-then-writes at once than its slots, across documents and collections, and inserts besides', async () => {
    const slots = new Semaphore(2);
    const collections = [documentWrites(slots), documentWrites(slots), documentWrites(slots)];
    const started: string[] = [];
    const writes = ['a', 'b', 'c'].map((id) => heldWrite(started, id));
    const insert = heldWrite(started, 'insert');
    const reaches: WriteReach[] = [{ document: 'a' }, { document: 'b' }, 'any'];
    const results = [...writes.map((write, index) => collections[index]!.run(reaches[index]!, write.run)), collections[0]!.run('new', insert.run)];
    await settle();
    expect(started).toHaveLength(3);
    expect(started).toContain('insert');
    const [first] = started.filter((name) => name !== 'insert');
    writes[['a', 'b', 'c'].indexOf(first!)]!.finish();
    await settle();
    expect([...started].sort()).toEqual(['a', 'b', 'c', 'insert']);
    for (const write of [...writes, insert]) write.finish();
    await Promise.all(results);
  });

  it('lets the next write to a document go when one fails', async () => {
    const lock = documentWrites(new Semaphore(8));
    await expect(lock.run({ document: 'a' }, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await lock.run({ document: 'a' }, async () => 'next')).toBe('next');
  });
});
