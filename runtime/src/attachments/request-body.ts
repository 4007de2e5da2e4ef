import { PassThrough } from 'node:stream';
import type { Request, Response } from 'express';
import { refusalProblem, type ContentCap } from './attachment-limits.js';
import { ContentTooLargeError } from './content/blob-store.js';
import type { AttachmentContent, ReceivedContent } from './content/attachment-content.js';

/**
 * Streams a request's body (a file) into the content store. A body larger
 * than the cap allows is refused with 413 as soon as that is known: from its
 * Content-Length before reading anything, or at the byte past the limit.
 * The connection then closes, so the rest is not read for nothing.
 */
export async function receiveRequestBody(req: Request, res: Response, content: AttachmentContent, cap: ContentCap): Promise<ReceivedContent> {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  const refuse = (size: number | undefined) => {
    res.setHeader('Connection', 'close');
    return refusalProblem(cap.refusal(size));
  };
  if (declared !== undefined && declared > cap.maxBytes) throw refuse(declared);
  // The store's pipeline destroys its source when it fails, and destroying the request would take the
  // socket the 413 must go out on; it gets a stream of its own, fed by the request.
  const body = new PassThrough();
  req.pipe(body);
  req.once('close', () => {
    if (!req.complete) body.destroy(new Error('the client closed the connection before the whole file arrived'));
  });
  try {
    return await content.receive(body, cap.maxBytes);
  } catch (error) {
    req.unpipe(body);
    if (error instanceof ContentTooLargeError) throw refuse(undefined);
    throw error;
  }
}
