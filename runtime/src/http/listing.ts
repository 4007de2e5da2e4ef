import type { Response } from 'express';

/** A page of a list, with the whole list's size in `X-Total-Count`. */
export function sendPage(res: Response, page: unknown[], total: number): void {
  res.setHeader('X-Total-Count', String(total));
  res.json({ result: page });
}

/** A stored document as the API shows it: its `_id` under the name the rest of the API uses. */
export function withSysId<T extends { _id: string }>({ _id, ...rest }: T): Omit<T, '_id'> & { sys_id: string } {
  return { sys_id: _id, ...rest };
}
