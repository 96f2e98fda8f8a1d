/**
 * Whether a HubSpot user may run the connector's admin actions (run setup, save mappings, start a
 * product sync): HubSpot's user provisioning API, `GET /settings/v3/users/{userId}`, answers
 * `{ id, email, superAdmin, roleId, roleIds, … }` ("Retrieve a user",
 * developers.hubspot.com/docs/api-reference/settings-user-provisioning-v3/users/get-settings-v3-users-userId;
 * scope `settings.users.read`). A super admin, or a user holding one of CONNECTOR_ADMIN_ROLE_IDS, is an
 * admin. Answers are kept for a minute per process, so a settings page that loads five sections asks
 * HubSpot once; a demoted admin keeps the rights for at most that minute.
 */
import { z } from 'zod';

export const USERS_PATH = '/settings/v3/users/';
const CACHE_MS = 60_000;

const userSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  // HubSpot's reference types it boolean; its own example shows "false": accept both.
  superAdmin: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  roleId: z.string().nullish(),
  roleIds: z.array(z.string()).nullish(),
});

export class PortalUserError extends Error {
  override name = 'PortalUserError';
}

export interface PortalAdminsOptions {
  token: string;
  /** HubSpot's API (default https://api.hubapi.com) or a simulator. */
  baseUrl?: string;
  adminRoleIds?: readonly string[];
  now?: () => number;
  fetch?: typeof fetch;
}

export class PortalAdmins {
  private readonly cache = new Map<string, { admin: boolean; until: number }>();

  constructor(private readonly options: PortalAdminsOptions) {}

  /** Throws PortalUserError when HubSpot does not answer who the user is (the action is then refused). */
  async isAdmin(userId: string): Promise<boolean> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.cache.get(userId);
    if (hit && hit.until > now) return hit.admin;
    const user = await this.readUser(userId);
    const roles = [user.roleId, ...(user.roleIds ?? [])].filter((r): r is string => Boolean(r));
    const admin = user.superAdmin === true || roles.some((role) => this.options.adminRoleIds?.includes(role));
    this.cache.set(userId, { admin, until: now + CACHE_MS });
    return admin;
  }

  private async readUser(userId: string): Promise<z.output<typeof userSchema>> {
    const base = (this.options.baseUrl ?? 'https://api.hubapi.com').replace(/\/+$/, '');
    const request = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await request(`${base}${USERS_PATH}${encodeURIComponent(userId)}`, {
        headers: { authorization: `Bearer ${this.options.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(5_000),
      });
    } catch (error) {
      throw new PortalUserError(`HubSpot's users API could not be reached (${error instanceof Error ? error.name : 'error'})`);
    }
    if (response.status === 404) return { id: userId, superAdmin: false };
    if (!response.ok)
      throw new PortalUserError(
        `HubSpot's users API answered ${response.status}${response.status === 403 ? ' (the app needs the settings.users.read scope)' : ''}`,
      );
    const user = userSchema.safeParse(await response.json().catch(() => undefined));
    if (!user.success)
      throw new PortalUserError(
        `HubSpot's users API answered an unexpected shape (${user.error.issues[0]?.path.join('.')}: ${user.error.issues[0]?.message})`,
      );
    return user.data;
  }
}
