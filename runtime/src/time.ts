/**
 * Date-times are stored and returned as `YYYY-MM-DD HH:mm:ss` in UTC, as the
 * original does, so that string order is time order in both store adapters.
 */
export function toDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function nowDateTime(): string {
  return toDateTime(new Date());
}

const storedForm = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;
const isoForm = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Reads a date-time a client sent: the stored form (`YYYY-MM-DD HH:mm:ss`,
 * or a bare date meaning midnight), both taken as UTC, or ISO 8601 with an
 * offset. Returns the stored form, or undefined when it is not a real instant.
 */
export function parseDateTime(text: string): string | undefined {
  const stored = storedForm.exec(text);
  if (stored) {
    const [, y, mo, d, h = '00', mi = '00', s = '00'] = stored;
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
    const normalised = toDateTime(date);
    // Date.UTC rolls 2026-02-31 over into March; a real date reads back unchanged.
    return normalised === `${y}-${mo}-${d} ${h}:${mi}:${s}` ? normalised : undefined;
  }
  if (isoForm.test(text)) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? undefined : toDateTime(date);
  }
  return undefined;
}
