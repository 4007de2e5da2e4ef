import { STATUS_CODES } from 'node:http';
import { problemSchema, type Problem } from '@lockstep/schema';
import { z } from 'zod';

/**
 * What a call to a peer came to, in the three ways the outbound side reacts:
 * - `accepted`: done;
 * - `rejected`: the peer refused this request (4xx), and sending it again
 *   will not change that. `fault` says what to fix: `data` is this item
 *   alone (its item errors); `connection` is the remote system's
 *   configuration (credentials, secrets, activation, base URL), which fails
 *   every item until fixed;
 * - `unavailable`: the peer could not be reached or failed (network error,
 *   timeout, 5xx, 408, 429); retry later.
 * Every `message` names the peer and says what to check, and holds no secret.
 */
export type PeerCallResult<T> =
  | { outcome: 'accepted'; status: number; result: T }
  | { outcome: 'rejected'; status: number | null; fault: 'data' | 'connection'; retryable: false; message: string; problem?: PeerProblem }
  | { outcome: 'unavailable'; status: number | null; retryable: true; message: string };

/** The peer's problem+json, as far as it sent one. */
export interface PeerProblem {
  type: string | null;
  detail: string;
  errors: { path: string; message: string }[];
}

export type RemoteTaskRequestKind = 'remote-tasks/catalog' | 'remote-tasks/revision' | 'remote-tasks/admission';
export type PeerRequestKind = 'inbound' | 'inbound/batch' | 'handshake' | 'attachments/request' | 'attachments/content' | 'attachments/complete' | RemoteTaskRequestKind;

/** What a refused call carried, for messages. */
const carried: Record<PeerRequestKind, string> = {
  inbound: 'the envelope',
  'inbound/batch': 'the envelope',
  handshake: 'the handshake',
  'attachments/request': 'the attachment request',
  'attachments/content': 'the attachment content',
  'attachments/complete': 'the attachment completion',
  'remote-tasks/catalog': 'the catalog request',
  'remote-tasks/revision': 'the remote task definition request',
  'remote-tasks/admission': 'the new remote task',
};

export interface PeerCallContext {
  /** The peer's base URL, without credentials. */
  address: string;
  userName: string;
  kind: PeerRequestKind;
}

const UNAUTHENTICATED = 'urn:lockstep:problem:unauthenticated';
/** Statuses that say "not now" rather than "not this". */
const RETRYABLE_4XX = new Set([408, 425, 429]);
/** Refusals caused by the remote system's configuration rather than by the envelope. */
const CONNECTION_4XX = new Set([401, 403, 404, 405, 409]);
const DETAIL_LIMIT = 500;

/** Lockstep's problem types; a problem+json of any other type is not a peer's reason. */
const LOCKSTEP_PROBLEM = 'urn:lockstep:problem:';

/**
 * A Lockstep peer's problem+json, whose detail is the reason it gives in a
 * few words. Any other answer (a proxy's error page, a service that is not
 * Lockstep at all) is named by its status alone: its body may hold what no
 * one here should read, such as a metadata service's credentials. The
 * status's standard name stands for the reason, not the one the host gave.
 */
function problemOf(status: number, text: string): PeerProblem {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = problemSchema.safeParse(json);
  if (parsed.success && parsed.data.type.startsWith(LOCKSTEP_PROBLEM)) {
    return { type: parsed.data.type, detail: parsed.data.detail.slice(0, DETAIL_LIMIT), errors: (parsed.data.errors ?? []).slice(0, 50) };
  }
  return { type: null, detail: STATUS_CODES[status] ?? 'an unknown status', errors: [] };
}

function refusal(status: number, problem: PeerProblem, { address, userName, kind }: PeerCallContext): string {
  if (status === 401 && problem.type === UNAUTHENTICATED) {
    return `the peer at ${address} refused the credentials for user ${userName} (401); check the connection's user name and password`;
  }
  const what = carried[kind];
  const findings = problem.errors.map((finding) => `${finding.path}: ${finding.message}`).join('; ');
  const hint = problem.type === null && status === 404 ? "; check the connection's base URL" : '';
  return `the peer at ${address} refused ${what} (${status}): ${problem.detail}${findings ? ` (${findings})` : ''}${hint}`;
}

/** Sorts a peer's answer into accepted, rejected or unavailable, reading the body it sent. */
export function classifyAnswer<T>(response: Response, text: string, context: PeerCallContext, answerSchema: z.ZodType<T>): PeerCallResult<T> {
  const { status } = response;
  const { address } = context;
  if (status >= 200 && status < 300) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = z.object({ result: answerSchema }).safeParse(json);
    if (parsed.success) return { outcome: 'accepted', status, result: parsed.data.result };
    return {
      outcome: 'rejected',
      status,
      fault: 'connection',
      retryable: false,
      message: `the peer at ${address} answered ${status} with something that is not a Lockstep sync answer; check that the connection's base URL is the peer instance's address`,
    };
  }
  if (status >= 300 && status < 400) {
    return {
      outcome: 'rejected',
      status,
      fault: 'connection',
      retryable: false,
      message: `the peer at ${address} answered ${status}, a redirect to ${response.headers.get('location') ?? 'nowhere'}; redirects are not followed, so set the connection's base URL to the final address`,
    };
  }
  return refusedOrUnavailable(status, problemOf(status, text), context);
}

/** One envelope of a batch that the peer refused, answered as the same problem would be for a request of its own. */
export function classifyRefusedEnvelope(problem: Problem, context: PeerCallContext): PeerCallResult<never> {
  const found = { type: problem.type, detail: problem.detail.slice(0, DETAIL_LIMIT), errors: (problem.errors ?? []).slice(0, 50) };
  return refusedOrUnavailable(problem.status, found, { ...context, kind: 'inbound' });
}

function refusedOrUnavailable(status: number, problem: PeerProblem, context: PeerCallContext): PeerCallResult<never> {
  if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) {
    return { outcome: 'rejected', status, fault: CONNECTION_4XX.has(status) ? 'connection' : 'data', retryable: false, message: refusal(status, problem, context), problem };
  }
  return {
    outcome: 'unavailable',
    status,
    retryable: true,
    message: `the peer at ${context.address} failed to take the request (${status}): ${problem.detail}; retry later, and if it persists check the peer's log`,
  };
}
