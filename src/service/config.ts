/**
 * The service's own settings, from environment variables, parsed with zod like the functions'
 * secrets (src/core/config.ts). The connector's credentials are the same variables the app functions
 * read (BILLWERK_*, PRIVATE_APP_ACCESS_TOKEN, HUBSPOT_CLIENT_SECRET, webhook and scheduler secrets);
 * `npm run serve` checks all of them at start and names what is missing (never a value).
 */
import { z } from 'zod';
import {
  billwerkConfigSchema,
  billwerkWebhookConfigSchema,
  hubspotConfigSchema,
  hubspotWebhookConfigSchema,
  readConfig,
  ConfigError,
} from '../core/config.js';

/** An https URL (http only on loopback, for the sandbox and tests), without a trailing slash. */
const publicUrl = z
  .url()
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  }, 'must be an https URL (HubSpot only calls https URLs listed in permittedUrls.fetch)')
  .transform((value) => value.replace(/\/+$/, ''));

export const serviceConfigSchema = z.object({
  /** The URL HubSpot calls, e.g. https://billwerk-connector.example.com: the v3 signature covers it. */
  CONNECTOR_SERVICE_URL: publicUrl,
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** When set, card requests signed for another portal are refused (a static app lives in one portal). */
  HUBSPOT_PORTAL_ID: z
    .string()
    .regex(/^\d{1,20}$/, 'must be the portal id (digits)')
    .optional(),
  /**
   * Besides super admins, users holding one of these HubSpot role ids (comma-separated) may run the
   * admin actions. Roles are the portal's own; HubSpot has no fixed "admin" role id.
   */
  CONNECTOR_ADMIN_ROLE_IDS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  /** `off` turns the built-in schedule off (e.g. when an outside scheduler is kept). */
  CONNECTOR_SCHEDULE: z.enum(['on', 'off']).default('on'),
  /** When the product sync runs (cron, UTC); HubSpot-hosted mode needs an outside scheduler for it. */
  PRODUCT_SYNC_CRON: z.string().min(9).default('0 */12 * * *'),
  /** When the reconciliation sweep runs (cron, UTC): it repairs what dropped webhooks missed. */
  RECONCILE_CRON: z.string().min(9).default('*/15 * * * *'),
});

export type ServiceConfig = z.output<typeof serviceConfigSchema>;

/**
 * Everything the service needs, checked at once so a start with a missing variable names all of
 * them. The billwerk webhook and scheduler secrets are checked per request, as in the functions.
 */
export function readServiceConfig(env: Record<string, string | undefined>): ServiceConfig {
  const problems: string[] = [];
  let config: ServiceConfig | undefined;
  for (const schema of [
    serviceConfigSchema,
    billwerkConfigSchema,
    hubspotConfigSchema,
    hubspotWebhookConfigSchema,
    billwerkWebhookConfigSchema,
  ]) {
    try {
      const parsed = readConfig(schema, env);
      if (schema === serviceConfigSchema) config = parsed as ServiceConfig;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return config;
}
