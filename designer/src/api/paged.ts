import { z } from 'zod';
import { request } from './client';

/** One page of a list and the whole list's size. */
export interface Page<T> {
  rows: T[];
  total: number;
}

/** Reads a page of `path`, each row checked against `row`; the total comes from X-Total-Count. */
export async function fetchPage<S extends z.ZodType>(row: S, path: string): Promise<Page<z.infer<S>>> {
  const { body, total } = await request(z.object({ result: z.array(row) }), path);
  return { rows: body.result, total: total ?? body.result.length };
}

/** `?a=1&b=2` from the entries that have a value; empty when none do. */
export function searchOf(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams(Object.entries(params).flatMap(([key, value]) => (value === undefined || value === '' ? [] : [[key, String(value)]]))).toString();
  return search === '' ? '' : `?${search}`;
}
