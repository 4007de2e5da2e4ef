import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Statuses whose answer has no body, which a Response may not be given one for. */
const NO_BODY = new Set([204, 205, 304]);

function headersOf(message: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  return headers;
}

/**
 * Sends a request whose body is a stream, and answers as fetch would, with
 * a Response (redirects are not followed). Node 20's fetch reads a stream
 * body as fast as the stream gives it, whatever the socket has sent, so a
 * large file would pile up in memory; a pipeline into node:http's request
 * waits for the socket instead. A peer that answers before reading the
 * whole body (a refusal) is answered with that answer; the caller destroys
 * the body once it has read it, which ends the upload. Each upload has its
 * own connection (agent: false): on the global agent, which keeps sockets
 * alive, a peer may close the reused socket just as the upload starts, and
 * a streamed body, unlike a small one, cannot be sent again.
 */
export async function streamRequest(url: URL, init: { method: string; headers: Record<string, string> }, body: Readable, signal: AbortSignal): Promise<Response> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const request = send(url, { method: init.method, headers: init.headers, signal, agent: false });
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  // A failure to send shows as the request's error, or not at all when the peer answered first.
  pipeline(body, request).catch(() => undefined);
  const message = await answer;
  const content = NO_BODY.has(message.statusCode ?? 0) ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>);
  return new Response(content, { status: message.statusCode, statusText: message.statusMessage, headers: headersOf(message) });
}
