/** Epoch ms as local date and time, to the second. */
export function dateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** A span of milliseconds as a person reads it: 850 ms, 4.2 s, 3 min 10 s, 2 h 5 min. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
  return `${Math.floor(ms / 86_400_000)} d ${Math.round((ms % 86_400_000) / 3_600_000)} h`;
}

/** How long ago `ms` was, as of `now`. */
export function ago(ms: number | null | undefined, now: number): string {
  if (ms === null || ms === undefined) return 'never';
  return `${duration(Math.max(0, now - ms))} ago`;
}

/** A value for a `datetime-local` input, in local time, from epoch ms. */
export function toLocalInput(ms: string | undefined): string {
  if (ms === undefined || ms === '' || Number.isNaN(Number(ms))) return '';
  const date = new Date(Number(ms));
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** Epoch ms, as text, from a `datetime-local` input's local time; empty stays empty. */
export function fromLocalInput(value: string): string {
  return value === '' ? '' : String(new Date(value).getTime());
}
