/**
 * HubSpot's user provisioning API, read side: `GET /settings/v3/users/{userId}` (and `?idProperty=EMAIL`),
 * answering `{ id, email, firstName, lastName, roleId, roleIds, primaryTeamId, superAdmin }` as in
 * HubSpot's reference (developers.hubspot.com/docs/api-reference/settings-user-provisioning-v3/users/
 * get-settings-v3-users-userId). Seeded with one super admin and one sales rep; the service asks it
 * whether a caller may run admin actions.
 */
import type { Route } from '../framework.js';
import { fail, notFound } from './errors.js';

export interface SimUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  superAdmin: boolean;
  roleId?: string;
}

/** User 1 matches the sandbox's demo user id; the rep has a role, but no super admin rights. */
export const SIM_USERS = {
  admin: { id: '1', email: 'demo.admin@example.com', firstName: 'Demo', lastName: 'Admin', superAdmin: true },
  rep: { id: '2', email: 'demo.rep@example.com', firstName: 'Demo', lastName: 'Rep', superAdmin: false, roleId: '100' },
} as const satisfies Record<string, SimUser>;

export function userRoutes(token: string, users: readonly SimUser[] = Object.values(SIM_USERS)): Route[] {
  return [
    {
      method: 'GET',
      path: '/settings/v3/users/:userId',
      handle: (req) => {
        if (req.headers.get('authorization') !== `Bearer ${token}`)
          return fail(401, 'INVALID_AUTHENTICATION', 'Authentication credentials are invalid.');
        const byEmail = req.query.get('idProperty') === 'EMAIL';
        const key = decodeURIComponent(req.params.userId ?? '');
        const user = users.find((u) => (byEmail ? u.email === key : u.id === key));
        if (!user) return notFound(`No user with ${byEmail ? 'email' : 'id'} ${key}`);
        const { roleId, ...rest } = user;
        return {
          status: 200,
          body: { ...rest, ...(roleId ? { roleId, roleIds: [roleId] } : { roleIds: [] }), primaryTeamId: null, secondaryTeamIds: [] },
        };
      },
    },
  ];
}
