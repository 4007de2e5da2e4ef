import { describe, expect, it } from 'vitest';
import { errorPeriods } from '../../src/metrics/link-metrics.js';
import type { NewTransition, RecordedTransition } from '../../src/sync/link/link-transitions.js';

const SECOND = 1000;
let next = 0;
const transition = (direction: NewTransition['direction'], from: NewTransition['from'], to: NewTransition['to'], at: number): RecordedTransition => ({
  _id: String(++next),
  remote_system: 'r1',
  direction,
  from,
  to,
  reason: 'test',
  at,
  failure: null,
});

describe('error periods from a link history', () => {
  const history = [
    transition('outbound', 'disabled', 'active', 0),
    transition('outbound', 'active', 'error', 10 * SECOND),
    transition('inbound', 'active', 'error', 12 * SECOND),
    transition('outbound', 'error', 'active', 25 * SECOND),
    transition('outbound', 'active', 'error', 40 * SECOND),
    transition('outbound', 'error', 'disabled', 41 * SECOND),
    transition('outbound', 'disabled', 'active', 50 * SECOND),
    transition('outbound', 'active', 'error', 90 * SECOND),
  ];

  it('counts each entry into error of one direction, and the time until it left, the one still open up to now', () => {
    expect(errorPeriods(history, 'outbound', 100 * SECOND)).toEqual({ entries: 3, seconds: 15 + 1 + 10 });
    expect(errorPeriods(history, 'inbound', 100 * SECOND)).toEqual({ entries: 1, seconds: 88 });
  });

  it('finds none in a history that never entered error', () => {
    expect(errorPeriods(history.slice(0, 1), 'outbound', 100 * SECOND)).toEqual({ entries: 0, seconds: 0 });
  });
});
