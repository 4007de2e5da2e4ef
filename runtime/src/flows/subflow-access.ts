import type { DomainScope } from '../domains/domain-scope.js';
import { notFound, ProblemError } from '../http/problem.js';
import type { StoredSubflow } from './subflow-document.js';
import type { SubflowStore } from './subflow-store.js';

/**
 * A subflow the caller may read, validate, copy and test-run: one its scope
 * reaches, its own tree's or a parent domain's (which its flows may use).
 * Any other is answered as missing, so that it exists does not leak into
 * another customer's domain.
 */
export async function reachableSubflow(subflows: SubflowStore, id: string, scope: DomainScope): Promise<StoredSubflow> {
  const subflow = await subflows.get(id);
  if (!subflow || !scope.reaches(subflow.sys_domain)) throw notFound('unknown-subflow', `there is no subflow with id ${id}`);
  return subflow;
}

/**
 * A reachable subflow the caller may also save, publish or delete: one of its
 * own tree. A parent domain's is shared with every domain below it, so it is
 * used as it is or copied, never changed from below.
 */
export function ownSubflow(subflow: StoredSubflow, scope: DomainScope, action: string): StoredSubflow {
  if (scope.sees(subflow.sys_domain)) return subflow;
  throw new ProblemError(
    403,
    'parent-domain-subflow',
    'Forbidden',
    `"${subflow.name}" (${subflow._id}) belongs to domain ${subflow.sys_domain}, above yours (${scope.domain}), so it cannot be ${action} from here; your flows may use it as it is, or copy it into ${scope.domain} to change it (POST /api/lockstep/v1/subflows/${subflow._id}/copy)`,
  );
}
