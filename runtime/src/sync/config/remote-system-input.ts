import type { RemoteSystem, RemoteSystemUpdate } from '@lockstep/schema';
import { badRequest, type ProblemFinding } from '../../http/problem.js';
import type { StoredRemoteSystem } from './stored-records.js';

const STATES = ['outbound_state', 'inbound_state'] as const;

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * A remote system's states are not the configurer's to set, but for turning
 * a direction off: active is earned by the Validate and Activate handshake
 * with the peer, and error is what the runtime records when a connection
 * fails. A base URL may not carry credentials, which the API would show.
 */
export function guardRemoteSystemBody(body: unknown): void {
  const states: ProblemFinding[] = STATES.flatMap((name) => {
    const state = field(body, name);
    return state === 'active' || state === 'error' ? [{ path: `body.${name}`, message: `${name} cannot be set to ${state} here; only disabled` }] : [];
  });
  if (states.length > 0) {
    throw badRequest(
      'state-not-writable',
      'a remote system becomes active through Validate and Activate, which checks the connection with the peer both ways, and the runtime sets error itself; set a state only to disabled here, and use Validate and Activate on the remote system to turn it on',
      states,
    );
  }
  const baseUrl = field(field(body, 'connection'), 'base_url');
  const url = typeof baseUrl === 'string' ? URL.parse(baseUrl) : null;
  if (url && (url.username !== '' || url.password !== '')) {
    throw badRequest('invalid-body', 'the request body is not valid; see errors', [
      { path: 'body.connection.base_url', message: 'the base URL may not carry credentials; give them as connection.user_name and connection.password' },
    ]);
  }
}

/** A connection given in part keeps the rest as stored, so a PATCH need not repeat the password or signing secrets. */
export function mergeRemoteSystem(current: StoredRemoteSystem, { connection, ...patch }: RemoteSystemUpdate): Partial<RemoteSystem> {
  return connection === undefined ? patch : { ...patch, connection: { ...current.connection, ...connection } };
}
