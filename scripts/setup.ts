/**
 * `npm run setup`: creates or updates the connector's HubSpot property groups, properties and options.
 * Safe to run again at any time: it writes only differences and never deletes.
 *
 *   PRIVATE_APP_ACCESS_TOKEN=... BILLWERK_ENTITIES='[{"id":"...","name":"..."}]' npm run setup
 *   npm run setup -- --dry-run     # only show what would change
 *
 * The token may also come as HUBSPOT_ACCESS_TOKEN (a private app or service key with the crm.schemas
 * scopes). HUBSPOT_API_BASE_URL points it at a simulator. Exit code 1 when a conflict needs an admin.
 */
import { billwerkConfigSchema, ConfigError, hubspotConfigSchema, readConfig } from '../src/core/config.js';
import { createHubSpotClient } from '../src/core/hubspot/client.js';
import { createLogger } from '../src/core/log.js';
import { inspectSetup, runSetup, type SetupReport } from '../src/core/settings/setup.js';

const scriptConfigSchema = hubspotConfigSchema.extend(billwerkConfigSchema.pick({ BILLWERK_ENTITIES: true }).shape);

export function readSetupConfig(env: Record<string, string | undefined>) {
  const token = env.PRIVATE_APP_ACCESS_TOKEN || env.HUBSPOT_ACCESS_TOKEN;
  return readConfig(scriptConfigSchema, { ...env, PRIVATE_APP_ACCESS_TOKEN: token });
}

/** One line per missing or malformed value, each saying where it comes from and its format. */
export function formatConfigError(error: ConfigError): string {
  return [
    'npm run setup cannot start:',
    ...error.problems.map((problem) => `  - ${problem}`),
    `Example: PRIVATE_APP_ACCESS_TOKEN=pat-eu1-… BILLWERK_ENTITIES='[{"id":"<billwerk entity id>","name":"Demo GmbH"}]' npm run setup`,
  ].join('\n');
}

export function formatReport(report: SetupReport): string {
  const section = (title: string, items: string[]) =>
    items.length ? [`${title} (${items.length}):`, ...items.map((i) => `  ${i}`)] : [`${title}: none`];
  return [
    ...section('Created', report.created),
    ...section('Updated', report.updated),
    `Left unchanged: ${report.unchanged.length}`,
    ...section(
      'Conflicts (not changed, need an admin)',
      report.conflicts.map((c) => `${c.item}: ${c.message}`),
    ),
    ...(report.notes.length ? section('Notes', report.notes) : []),
  ].join('\n');
}

async function main(): Promise<number> {
  const dryRun = process.argv.includes('--dry-run');
  const config = readSetupConfig(process.env);
  // Retries are the client's business; the outcome (or the final error) is what an admin needs to see.
  const logger = createLogger('setup', { log: () => {}, warn: () => {}, error: console.error });
  const hubspot = createHubSpotClient(config, { logger });
  if (dryRun) {
    const plan = await inspectSetup({ hubspot }, config.BILLWERK_ENTITIES);
    console.log(
      formatReport({
        created: plan.actions
          .filter((a) => a.kind !== 'updateProperty')
          .map((a) =>
            a.kind === 'createGroup' ? `${a.group.objectType}.group ${a.group.name}` : `${a.property.objectType}.${a.property.name}`,
          ),
        updated: plan.actions.flatMap((a) =>
          a.kind === 'updateProperty' ? [`${a.property.objectType}.${a.property.name} (${a.changes.join(', ')})`] : [],
        ),
        unchanged: plan.unchanged,
        conflicts: plan.conflicts,
        notes: plan.notes,
      })
        .replace('Created', 'Would create')
        .replace('Updated', 'Would update'),
    );
    return plan.conflicts.length ? 1 : 0;
  }
  const outcome = await runSetup({ hubspot, logger }, config.BILLWERK_ENTITIES);
  if (!outcome.ok) {
    for (const p of outcome.problems) console.error(p.message);
    return 1;
  }
  console.log(formatReport(outcome.value));
  return outcome.value.conflicts.length ? 1 : 0;
}

const isEntrypoint = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isEntrypoint) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(
        error instanceof ConfigError ? formatConfigError(error) : `Setup failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    },
  );
}
