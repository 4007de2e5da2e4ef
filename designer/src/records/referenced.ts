import { ApiProblem } from '../api/client';
import { recordApi } from '../api/records';
import { userApi } from '../api/users';
import { hrefOf } from '../route';

/** What a reference field names, as people know it, and where the console shows it; null when the caller may not see it. */
export interface Referenced {
  text: string;
  href: string | null;
}

/** Users are not a Table API table: their names come from the users API, which shows others to admins only. */
const USERS = 'sys_user';

export async function referenced(reference: string, sysId: string): Promise<Referenced | null> {
  try {
    if (reference === USERS) return { text: (await userApi.get(sysId)).user_name, href: null };
    const record = await recordApi.get(reference, sysId, 'number,short_description');
    return { text: String(record.number || record.short_description || reference), href: hrefOf({ page: 'record', table: reference, sysId }) };
  } catch (error) {
    // Another domain's, or not the caller's to read: the runtime answers both as missing or forbidden.
    if (error instanceof ApiProblem && (error.status === 403 || error.status === 404)) return null;
    throw error;
  }
}
