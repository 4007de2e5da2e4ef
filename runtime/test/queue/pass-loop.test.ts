import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { PassLoop } from '../../src/queue/pass-loop.js';

const silent = pino({ level: 'silent' });
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('a worker pass loop', () => {
  let loop: PassLoop | undefined;
  afterEach(async () => {
    await loop?.stop();
  });

  it('runs one pass at a time, one more after a pass during which it was nudged, and none after stopping', async () => {
    let running = 0;
    let most = 0;
    let passes = 0;
    let release: () => void = () => undefined;
    loop = new PassLoop(
      async () => {
        passes += 1;
        running += 1;
        most = Math.max(most, running);
        if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
        running -= 1;
        return false;
      },
      silent,
      'test pass failed',
      60_000,
    );
    loop.nudge();
    expect(passes).toBe(0);
    loop.start();
    loop.nudge();
    loop.nudge();
    release();
    for (let wait = 0; wait < 100 && passes < 2; wait++) await turn();
    expect(passes).toBe(2);
    expect(most).toBe(1);
    await loop.stop();
    loop.nudge();
    await turn();
    expect(passes).toBe(2);
  });

  it('goes on at once while a pass says more is waiting, and a failed pass waits for the next nudge', async () => {
    const outcomes: (boolean | Error)[] = [true, new Error('store down'), true, false];
    let passes = 0;
    loop = new PassLoop(
      async () => {
        const outcome = outcomes[passes++];
        if (outcome instanceof Error) throw outcome;
        return outcome ?? false;
      },
      silent,
      'test pass failed',
      60_000,
    );
    loop.start();
    for (let wait = 0; wait < 20; wait++) await turn();
    expect(passes).toBe(2);
    loop.nudge();
    for (let wait = 0; wait < 100 && passes < 4; wait++) await turn();
    expect(passes).toBe(4);
  });
});
