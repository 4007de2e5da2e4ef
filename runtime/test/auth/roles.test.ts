import { roleName } from '@lockstep/schema';
import { describe, expect, it } from 'vitest';
import { roles, rolesNotHeld } from '../../src/auth/roles.js';

// Over HTTP only admins manage users, and an admin holds every role; this is the rule for any other caller.
describe('granting roles', () => {
  it('a holder may hand out only the roles it holds', () => {
    expect(rolesNotHeld([roles.processSync], [roles.processSync, roles.itil, roles.admin])).toEqual([roles.itil, roles.admin]);
  });

  it('an admin holds every role', () => {
    expect(rolesNotHeld([roles.admin], Object.values(roles))).toEqual([]);
  });

  it('the API knows the roles the runtime checks, and no others', () => {
    for (const role of Object.values(roles)) expect(roleName.parse(role)).toBe(role);
    expect(roleName.safeParse('root').success).toBe(false);
  });
});
