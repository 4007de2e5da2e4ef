import { describe, expect, it } from 'vitest';
import { OfferedItems } from '../../src/queue/offered-items.js';

const item = (key: string, sequence: number, id = `${key}-${sequence}`) => ({ _id: id, correlation_key: key, sequence });

/** Every stirred key, oldest stirred first. */
function takeAll(offered: OfferedItems<ReturnType<typeof item>>): string[] {
  const keys: string[] = [];
  for (let key = offered.takeStirred(); key !== undefined; key = offered.takeStirred()) keys.push(key);
  return keys;
}

describe('items offered to a queue worker', () => {
  it('keeps each key in sequence order, whatever the order they came in, and replaces an item offered again', () => {
    const offered = new OfferedItems(10);
    offered.offer(item('a', 3));
    offered.offer(item('a', 1));
    offered.offer(item('a', 2));
    offered.offer({ ...item('a', 2), extra: true } as ReturnType<typeof item>);
    expect(offered.itemsOf('a')).toEqual([item('a', 1), { ...item('a', 2), extra: true }, item('a', 3)]);
    expect(offered.size).toBe(3);
  });

  it('hands each stirred key out once, oldest first; a held item or a dropped one stirs nothing', () => {
    const offered = new OfferedItems(10);
    offered.offer(item('a', 1));
    offered.offer(item('b', 1));
    offered.offer(item('a', 2));
    expect(takeAll(offered)).toEqual(['a', 'b']);
    expect(takeAll(offered)).toEqual([]);

    offered.hold(item('c', 1));
    offered.drop(item('a', 1));
    expect(takeAll(offered)).toEqual([]);
    offered.stir('c');
    offered.stir('nothing held');
    expect(takeAll(offered)).toEqual(['c']);
    expect(offered.itemsOf('a')).toEqual([item('a', 2)]);
  });

  it('passes over the keys it may not let go, which stay stirred in their turn', () => {
    const offered = new OfferedItems(10);
    for (const key of ['a', 'b', 'c']) offered.offer(item(key, 1));
    expect(offered.takeStirred((key) => key !== 'a')).toBe('b');
    offered.stir('b');
    expect(offered.takeStirred((key) => key !== 'a')).toBe('c');
    expect(takeAll(offered)).toEqual(['a', 'b']);
  });

  it('forgets a key with its last item, and takes no more than its limit', () => {
    const offered = new OfferedItems(2);
    expect(offered.offer(item('a', 1))).toBe(true);
    expect(offered.offer(item('b', 1))).toBe(true);
    expect(offered.offer(item('c', 1))).toBe(false);
    // Replacing a held item is not adding one.
    expect(offered.offer(item('b', 1))).toBe(true);
    offered.drop(item('a', 1));
    expect(offered.itemsOf('a')).toEqual([]);
    expect(offered.size).toBe(1);
    expect(offered.offer(item('c', 1))).toBe(true);
  });
});
