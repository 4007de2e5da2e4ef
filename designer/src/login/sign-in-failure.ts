import { ApiProblem } from '../api/client';
import { RequestTimeout } from '../api/timeout';

/** Why signing in failed, said on the sign-in page: the runtime's 401 detail speaks of API tokens, which a person signing in has none of. */
export function signInFailure(failure: unknown): string {
  if (failure instanceof ApiProblem && failure.status === 401) return 'The user name and password are not valid. Check them and try again.';
  if (failure instanceof RequestTimeout) return `The runtime did not answer in ${failure.seconds} s. Check that it is running, then try again.`;
  if (failure instanceof TypeError) return 'The runtime could not be reached. Check that it is running and that this address is right, then try again.';
  return failure instanceof Error ? failure.message : String(failure);
}
