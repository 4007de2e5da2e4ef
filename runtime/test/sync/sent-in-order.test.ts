import { describe, expect, it } from 'vitest';
import { SentInOrder } from '../../src/sync/outbound/sent-in-order.js';

/** The dispatcher's memory of what it sent last per key, which spares the order check's read of the item after it. */
describe('SentInOrder', () => {
  const key = 'incident:1:remote';

  it('says the item right after one sent here follows it, while this process is alone on its database since that claim', () => {
    const sent = new SentInOrder({ aloneSince: () => 1_000 });
    sent.sent({ correlation_key: key, sequence: 4 }, 2_000);
    expect(sent.follows({ correlation_key: key, sequence: 5 })).toBe(true);
    // A gap, an earlier one, another key: the store is read.
    expect(sent.follows({ correlation_key: key, sequence: 6 })).toBe(false);
    expect(sent.follows({ correlation_key: key, sequence: 4 })).toBe(false);
    expect(sent.follows({ correlation_key: 'incident:2:remote', sequence: 5 })).toBe(false);
  });

  it('knows nothing while other processes share the database, or when they did since the claim', () => {
    let alone: number | undefined;
    const sent = new SentInOrder({ aloneSince: () => alone });
    sent.sent({ correlation_key: key, sequence: 1 }, 2_000);
    expect(sent.follows({ correlation_key: key, sequence: 2 })).toBe(false);
    alone = 3_000;
    expect(sent.follows({ correlation_key: key, sequence: 2 })).toBe(false);
    alone = 2_000;
    expect(sent.follows({ correlation_key: key, sequence: 2 })).toBe(true);
  });
});
