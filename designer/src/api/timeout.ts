/**
 * How long the designer waits for the runtime to answer: a runtime that takes
 * a request and never answers would otherwise leave the page waiting for
 * good ("Signing in…" forever).
 */
export const REQUEST_TIMEOUT_MS = 15_000;

/** The runtime took the request but did not answer in time. */
export class RequestTimeout extends Error {
  override readonly name = 'RequestTimeout';
  readonly seconds: number;

  constructor(timeoutMs: number) {
    const seconds = Math.round(timeoutMs / 1000);
    super(`the runtime did not answer in ${seconds} s`);
    this.seconds = seconds;
  }
}

/**
 * Runs `work` (a fetch and the reading of its answer) with a signal that
 * aborts it after `timeoutMs`, failing with a RequestTimeout then.
 */
export async function inTime<T>(work: (signal: AbortSignal) => Promise<T>, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new RequestTimeout(timeoutMs)), timeoutMs);
  try {
    return await work(controller.signal);
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}
