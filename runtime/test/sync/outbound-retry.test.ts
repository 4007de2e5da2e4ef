import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { envelopeIdOf } from '../../src/sync/actions/send-payload.js';
import { retryDelayMs } from '../../src/sync/outbound/retry-policy.js';

describe('outbound retries', () => {
  it('give every attempt to send one item the same envelope id, a UUID the receiver accepts', () => {
    const id = envelopeIdOf('intent-1:remote-1');
    expect(envelopeIdOf('intent-1:remote-1')).toBe(id);
    expect(envelopeIdOf('intent-2:remote-1')).not.toBe(id);
    expect(z.uuid().safeParse(id).success).toBe(true);
  });

  it('back off exponentially, jittered within the upper half of each step, up to the longest wait', () => {
    const policy = { baseDelayMs: 500, maxDelayMs: 3_000 };
    expect([1, 2, 3, 4, 40].map((attempt) => retryDelayMs(policy, attempt, () => 0))).toEqual([250, 500, 1000, 1500, 1500]);
    expect([1, 2, 3, 4, 40].map((attempt) => retryDelayMs(policy, attempt, () => 1))).toEqual([500, 1000, 2000, 3000, 3000]);
  });
});
