import type { Request } from 'express';

/** RFC 8288 Link header with first/prev/next/last pages, as the original sends. */
export function paginationLinks(req: Request, offset: number, limit: number, total: number): string {
  const base = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}`;
  const link = (rel: string, pageOffset: number): string => {
    const params = new URLSearchParams(req.query as Record<string, string>);
    params.set('sysparm_offset', String(pageOffset));
    params.set('sysparm_limit', String(limit));
    return `<${base}?${params.toString()}>;rel="${rel}"`;
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [link('first', 0)];
  if (offset > 0) links.push(link('prev', Math.max(0, offset - limit)));
  if (offset + limit < total) links.push(link('next', offset + limit));
  links.push(link('last', lastOffset));
  return links.join(',');
}
