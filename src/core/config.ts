import { z } from 'zod';

/**
 * The connector's configuration, read from app function secrets (`hs secret add NAME`), which HubSpot
 * exposes as `process.env.NAME` during a call. Each function parses only the part it needs, so a
 * missing webhook secret never breaks the deal card. Values never appear in errors: only names do.
 */

const BILLWERK_HOSTS: Record<string, string> = {
  'sandbox.billwerk.com': 'https://sandbox.billwerk.com',
  'app.billwerk.com': 'https://app.billwerk.com',
};

/** `sandbox.billwerk.com`, `app.billwerk.com`, or a full URL (dedicated domain, local simulator). */
const billwerkBaseUrl = z
  .string()
  .trim()
  .min(1)
  .transform((value, ctx) => {
    const known = BILLWERK_HOSTS[value.replace(/^https:\/\//, '').replace(/\/+$/, '')];
    if (known) return known;
    try {
      const url = new URL(value);
      if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) {
        return url.origin;
      }
    } catch {
      /* reported below */
    }
    ctx.addIssue({
      code: 'custom',
      message: 'must be sandbox.billwerk.com, app.billwerk.com or an https URL',
    });
    return z.NEVER;
  });

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

export const entitySchema = z.object({
  /** billwerk legal entity id, sent as X-SELECTED-LEGAL-ENTITY-ID (omit for a single-entity account). */
  id: z.string().min(1),
  /** Name shown in the entity picker and stored on HubSpot records. */
  name: z.string().min(1),
  /** The entity's Public API Key (billwerk Settings > Self-Service), as the guide asks for it. */
  publicApiKey: z.string().min(1).optional(),
});
export type BillwerkEntity = z.infer<typeof entitySchema>;

/** BILLWERK_ENTITIES is a JSON array, root entity first. */
const entitiesJson = z
  .string()
  .trim()
  .min(1)
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {id, name, publicApiKey}' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(entitySchema)
      .min(1, 'must list at least the root entity')
      .refine((list) => new Set(list.map((e) => e.id)).size === list.length, 'entity ids must be unique'),
  );

export const billwerkConfigSchema = z.object({
  BILLWERK_CLIENT_ID: z.string().trim().min(1),
  BILLWERK_CLIENT_SECRET: z.string().trim().min(1),
  BILLWERK_BASE_URL: billwerkBaseUrl,
  BILLWERK_ENTITIES: entitiesJson,
});

export const hubspotConfigSchema = z.object({
  PRIVATE_APP_ACCESS_TOKEN: z.string().trim().min(1),
  /** Only set to point the connector at a simulator; HubSpot's API otherwise. */
  HUBSPOT_API_BASE_URL: z.url().optional(),
});

export const billwerkWebhookConfigSchema = z
  .object({
    /** HTTP Basic Auth, as configured in billwerk's webhook settings. */
    BILLWERK_WEBHOOK_USER: z.string().min(1).optional(),
    BILLWERK_WEBHOOK_PASSWORD: z.string().min(8).optional(),
    /** Alternative: a long random token in the webhook URL's `token` query parameter. */
    BILLWERK_WEBHOOK_TOKEN: z.string().min(24).optional(),
  })
  .refine(
    (c) => (c.BILLWERK_WEBHOOK_USER && c.BILLWERK_WEBHOOK_PASSWORD) || c.BILLWERK_WEBHOOK_TOKEN,
    'set BILLWERK_WEBHOOK_USER and BILLWERK_WEBHOOK_PASSWORD, or BILLWERK_WEBHOOK_TOKEN',
  );

export const hubspotWebhookConfigSchema = z.object({
  /** The app's client secret: HubSpot signs webhook requests (X-HubSpot-Signature-v3) with it. */
  HUBSPOT_CLIENT_SECRET: z.string().min(1),
  /**
   * The public URL HubSpot posts CRM events to (the webhooks component's targetUrl). The v3 signature
   * covers it; without it the URL is rebuilt from the Host header and the endpoint path.
   */
  HUBSPOT_WEBHOOK_TARGET_URL: z.url().optional(),
});

export const schedulerConfigSchema = z.object({
  /** Shared secret an outside scheduler sends to trigger the product sync. */
  PRODUCT_SYNC_TOKEN: z.string().min(24),
});

export type BillwerkConfig = z.output<typeof billwerkConfigSchema>;
export type HubSpotConfig = z.output<typeof hubspotConfigSchema>;
export type BillwerkWebhookConfig = z.output<typeof billwerkWebhookConfigSchema>;
export type HubSpotWebhookConfig = z.output<typeof hubspotWebhookConfigSchema>;
export type SchedulerConfig = z.output<typeof schedulerConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Connector configuration is incomplete: ${problems.join('; ')}`);
  }
}

/**
 * Where each value comes from and its format, appended to every error about it, so an admin can fix
 * it without reading the code (README "Deploy to a HubSpot portal" has the same words).
 */
export const CONFIG_HELP: Record<string, string> = {
  PRIVATE_APP_ACCESS_TOKEN:
    "the app's static access token (pat-…): HubSpot › Development › Projects › billwerk-hubspot-connector › the app › Auth tab, after the first `npm run deploy`; app functions get it from HubSpot themselves",
  HUBSPOT_API_BASE_URL: 'only for a simulator: an http(s) URL such as http://127.0.0.1:4010',
  BILLWERK_CLIENT_ID: 'the ID of a Confidential client in billwerk (your e-mail › Settings › BILLWERK APPS › My Apps)',
  BILLWERK_CLIENT_SECRET: 'the Secret shown with that client in billwerk (Settings › My Apps)',
  BILLWERK_BASE_URL: 'sandbox.billwerk.com, app.billwerk.com or your billwerk https URL',
  BILLWERK_ENTITIES:
    'a JSON array of the billwerk legal entities, root entity first: [{"id":"<billwerk entity id>","name":"<name shown in HubSpot>","publicApiKey":"<Settings › Self-Service › Public API Key>"}]',
  BILLWERK_WEBHOOK_USER:
    "the user of billwerk's webhook Basic authentication (Settings › Webhooks), with BILLWERK_WEBHOOK_PASSWORD (≥ 8 characters)",
  BILLWERK_WEBHOOK_PASSWORD: "the password of billwerk's webhook Basic authentication, at least 8 characters",
  BILLWERK_WEBHOOK_TOKEN: 'at least 24 random characters, also put into the webhook URL as ?token=…',
  HUBSPOT_CLIENT_SECRET: "the app's client secret: the same Auth tab as the access token",
  HUBSPOT_WEBHOOK_TARGET_URL: 'https://<connected domain>/hs/serverless/hubspot-events, as in the profile',
  PRODUCT_SYNC_TOKEN: 'at least 24 random characters, sent by your scheduler as Authorization: Bearer …',
};

/**
 * Parses `env` with `schema`. The error names each bad secret, what is wrong with it, where its value
 * comes from and its format (CONFIG_HELP), never its value (zod's messages for these schemas do not
 * echo input).
 */
export function readConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    const path = issue.path.map(String).join('.');
    const why = issue.code === 'invalid_type' && issue.input === undefined ? 'is missing' : issue.message;
    const help = CONFIG_HELP[name];
    return path ? `${path} ${why}${help ? ` (${help})` : ''}` : why;
  });
  throw new ConfigError(problems);
}

/** Every secret value in `env` that must never be printed; used by the log redactor. */
export const SECRET_NAMES = [
  'BILLWERK_CLIENT_ID',
  'BILLWERK_CLIENT_SECRET',
  'BILLWERK_WEBHOOK_PASSWORD',
  'BILLWERK_WEBHOOK_TOKEN',
  'HUBSPOT_CLIENT_SECRET',
  'PRODUCT_SYNC_TOKEN',
  'PRIVATE_APP_ACCESS_TOKEN',
] as const;
