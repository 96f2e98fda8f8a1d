/**
 * Everything the settings page shows at once, read-only and without calling billwerk (the slower
 * connection check is its own function): environment, entities, setup status, mappings and the
 * HubSpot properties a mapping may use.
 */
import { billwerkConfigSchema, type BillwerkEntity } from '../config.js';
import type { Deps } from '../deps.js';
import { billwerkEnvironmentOf, type BillwerkEnvironment } from '../billwerk/environment.js';
import { listCustomFieldProperties, loadMappings, type CustomFieldMapping } from './mappings.js';
import { succeed, type Outcome } from '../result.js';
import { inspectSetup, type SetupConflict } from './setup.js';

export interface SettingsStatus {
  billwerk: { baseUrl: string; environment: BillwerkEnvironment };
  entities: { id: string; name: string }[];
  setup: {
    /** `done`: nothing to create or update; `needed`: run setup; conflicts are shown either way. */
    state: 'done' | 'needed';
    pending: string[];
    conflicts: SetupConflict[];
    notes: string[];
  };
  mappings: CustomFieldMapping[];
  /** Properties of the "Billwerk custom fields sync" group, per mapping object. */
  customFieldProperties: { deal: PropertyChoice[]; company: PropertyChoice[] };
}

export interface PropertyChoice {
  name: string;
  label: string;
  type: string;
}

export async function settingsStatus(
  deps: Pick<Deps, 'hubspot'>,
  config: { baseUrl: string; entities: readonly BillwerkEntity[] },
): Promise<Outcome<SettingsStatus>> {
  const { entities } = config;
  const [plan, mappings, dealProperties, companyProperties] = await Promise.all([
    inspectSetup(deps, entities),
    loadMappings(deps.hubspot),
    listCustomFieldProperties(deps.hubspot, 'deal'),
    listCustomFieldProperties(deps.hubspot, 'company'),
  ]);
  const pending = plan.actions.map((a) =>
    a.kind === 'createGroup'
      ? `create group ${a.group.objectType}.${a.group.name}`
      : a.kind === 'createProperty'
        ? `create ${a.property.objectType}.${a.property.name}`
        : `update ${a.property.objectType}.${a.property.name} (${a.changes.join(', ')})`,
  );
  const choice = (p: { name: string; label: string; type: string }): PropertyChoice => ({ name: p.name, label: p.label, type: p.type });
  return succeed({
    billwerk: { baseUrl: config.baseUrl, environment: billwerkEnvironmentOf(config.baseUrl) },
    entities: entities.map((e) => ({ id: e.id, name: e.name })),
    setup: { state: pending.length ? 'needed' : 'done', pending, conflicts: plan.conflicts, notes: plan.notes },
    mappings,
    customFieldProperties: { deal: dealProperties.map(choice), company: companyProperties.map(choice) },
  });
}

/** The part of the billwerk configuration the settings functions need without talking to billwerk. */
export const settingsConfigSchema = billwerkConfigSchema.pick({ BILLWERK_BASE_URL: true, BILLWERK_ENTITIES: true });
