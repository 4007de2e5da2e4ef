import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OutboundGuard } from './outbound-guard.js';

export interface OutboundInit {
  method: string;
  headers: Record<string, string>;
  /** A string is sent whole; a stream as the socket takes it (see below). */
  body?: string | Readable;
  signal: AbortSignal;
}

/**
 * Connections kept alive between calls, as fetch keeps them. A kept socket
 * was opened to an address the guard passed, and every call is checked
 * before it may take one.
 */
const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

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
 * Every HTTP call this instance makes to another host: the guard checks the
 * URL first (OutboundRefusal when it may not be called, before any byte is
 * sent), then the call connects to the very address it checked: the lookup
 * handed to the socket answers that address, so the host is not resolved a
 * second time, while the Host header and TLS's server name stay the URL's.
 * Redirects are never followed (node:http has no such thing): the caller
 * gets the 3xx. It answers as fetch would, with a Response.
 *
 * A stream body is piped into the request, which waits for the socket: Node
 * 20's fetch reads a stream as fast as it gives, whatever the socket has
 * sent, so a large file would pile up in memory. A peer that answers before
 * reading the whole body (a refusal) is answered with that answer, and the
 * caller destroys the body once it has read it. A streamed call has its own
 * connection: on a kept-alive one the peer may close the socket just as the
 * upload starts, and a stream, unlike a string, cannot be sent again.
 */
export async function outboundRequest(guard: OutboundGuard, url: URL, init: OutboundInit): Promise<Response> {
  const { address, family } = await guard.check(url);
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const { body } = init;
  const headers = typeof body === 'string' ? { ...init.headers, 'content-length': String(Buffer.byteLength(body)) } : init.headers;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = body instanceof Readable ? false : agents[url.protocol as 'http:' | 'https:'];
  const request = send(url, { method: init.method, headers, signal: init.signal, lookup: pinned, agent });
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  // A failure to send shows as the request's error, or not at all when the peer answered first.
  if (body instanceof Readable) pipeline(body, request).catch(() => undefined);
  else request.end(body);
  const message = await answer;
  const content = NO_BODY.has(message.statusCode ?? 0) ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>);
  return new Response(content, { status: message.statusCode, statusText: message.statusMessage, headers: headersOf(message) });
}
