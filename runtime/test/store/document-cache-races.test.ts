import { describe, expect, it } from 'vitest';
import { DocumentCache } from '@lockstep/store';

/*
 * The documents held by `_id` (DocumentCache) as writes and reads of them
 * overlap: what the server did in between is not known here, so a copy is
 * held only when nothing could have come between. The mongodb adapter on
 * FerretDB drives it (document-cache.test.ts); these races are set up here
 * step by step.
 */
describe('documents held by _id, as writes and reads overlap', () => {
  const alone = () => 1;

  it('does not hold what a read found when a write in flight as it began ended before its answer', () => {
    const cache = new DocumentCache(alone);
    // Looked up by _id: the collection holds what is written to it.
    expect(cache.find('cases', 'x', { _id: 'x' })).toBeUndefined();
    const write = cache.begin('cases', 'x');
    const read = cache.reading('cases');
    cache.end(write, { _id: 'x', n: 2 });
    // The read may have reached the server before the write.
    cache.filled('cases', read, { _id: 'x', n: 1 });
    expect(cache.find('cases', 'x', { _id: 'x' })).toEqual({ _id: 'x', n: 2 });
  });

  it('holds what a read found when no write came near it', () => {
    const cache = new DocumentCache(alone);
    const read = cache.reading('cases');
    cache.filled('cases', read, { _id: 'y', n: 1 });
    expect(cache.find('cases', 'y', { _id: 'y', n: { $ne: 2 } })).toEqual({ _id: 'y', n: 1 });
    expect(cache.find('cases', 'y', { _id: 'y', n: 2 })).toBeNull();
  });

  it('applies an update to the copy it held before, and lets the copy go when two writes to it overlap', () => {
    const cache = new DocumentCache(alone);
    cache.find('cases', 'z', { _id: 'z' });
    cache.end(cache.begin('cases', 'z'), { _id: 'z', tags: ['a'], n: 1 });
    const update = cache.begin('cases', 'z');
    cache.end(update, DocumentCache.updated(update.prior!, { _id: 'z' }, { $push: { tags: 'b' }, $inc: { n: 1 } }));
    expect(cache.find('cases', 'z', { _id: 'z' })).toEqual({ _id: 'z', tags: ['a', 'b'], n: 2 });

    const first = cache.begin('cases', 'z');
    const second = cache.begin('cases', 'z');
    cache.end(first, { _id: 'z', tags: [], n: 3 });
    cache.end(second, { _id: 'z', tags: [], n: 4 });
    expect(cache.find('cases', 'z', { _id: 'z' })).toBeUndefined();
  });

  it('answers a look-up during the one write in flight to a document with the copy from before it, and none once a second overlaps', () => {
    const cache = new DocumentCache(alone);
    cache.find('cases', 'v', { _id: 'v' });
    cache.end(cache.begin('cases', 'v'), { _id: 'v', n: 1 });
    const write = cache.begin('cases', 'v');
    // The look-up overlaps the write: the document as it was before it is a right answer.
    expect(cache.find('cases', 'v', { _id: 'v' })).toEqual({ _id: 'v', n: 1 });
    expect(cache.find('cases', 'v', { _id: 'v', n: 2 })).toBeNull();
    const second = cache.begin('cases', 'v');
    expect(cache.find('cases', 'v', { _id: 'v' })).toBeUndefined();
    cache.end(write, { _id: 'v', n: 2 });
    cache.end(second, { _id: 'v', n: 3 });
    expect(cache.find('cases', 'v', { _id: 'v' })).toBeUndefined();

    // A write that fails lets the copy go: the server may have applied it or not.
    cache.end(cache.begin('cases', 'v'), { _id: 'v', n: 4 });
    const failing = cache.begin('cases', 'v');
    expect(cache.find('cases', 'v', { _id: 'v' })).toEqual({ _id: 'v', n: 4 });
    cache.end(failing, undefined);
    expect(cache.find('cases', 'v', { _id: 'v' })).toBeUndefined();

    // A write that may reach any document lets it go at once.
    cache.end(cache.begin('cases', 'v'), { _id: 'v', n: 5 });
    cache.begin('cases', 'v');
    cache.begin('cases', undefined);
    expect(cache.find('cases', 'v', { _id: 'v' })).toBeUndefined();
  });

  it('answers nothing from a copy held before the process last wrote its database alone', () => {
    let since: number | undefined = 1;
    const cache = new DocumentCache(() => since);
    cache.find('cases', 'w', { _id: 'w' });
    cache.end(cache.begin('cases', 'w'), { _id: 'w', n: 1 });
    since = undefined;
    expect(cache.find('cases', 'w', { _id: 'w' })).toBeUndefined();
    since = 2;
    expect(cache.find('cases', 'w', { _id: 'w' })).toBeUndefined();
  });
});
