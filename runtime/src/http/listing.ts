import type { Response } from 'express';
import { z } from 'zod';

/** `limit` and `offset`, as every admin list takes them. */
export const pageParams = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

/** A page of a list, with the whole list's size in `X-Total-Count`. */
export function sendPage(res: Response, page: unknown[], total: number): void {
  res.setHeader('X-Total-Count', String(total));
  res.json({ result: page });
}

/** A stored document as the API shows it: its `_id` under the name the rest of the API uses. */
export function withSysId<T extends { _id: string }>({ _id, ...rest }: T): Omit<T, '_id'> & { sys_id: string } {
  return { sys_id: _id, ...rest };
}
