/**
 * Waits for something another process or a background worker makes true:
 * asks `probe` every `everyMs` until it answers with a value (anything but
 * undefined or false), and fails saying `what` it waited for after
 * `timeoutMs`: a text, or one told at the timeout (where things stood then).
 * The deadline is generous, as CI shares its two cores.
 */
export async function until<T>(probe: () => Promise<T | undefined | false>, what: string | (() => Promise<string>), timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting until ${typeof what === 'string' ? what : await what()}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Reads with `read` until `check` holds for what it read, and returns that. */
export function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what = 'a check held'): Promise<T> {
  return until(async () => {
    const value = await read();
    return check(value) ? { value } : undefined;
  }, what).then(({ value }) => value);
}
