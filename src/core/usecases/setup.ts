/**
 * Setup: creates or updates every property group, property and option of the catalog
 * (src/core/catalog.ts) on deals, companies, contacts and products. Idempotent: it reads what exists,
 * decides (pure `planSetup`), and writes only the differences, so a second run makes no write.
 *
 * It never deletes: options that records may still hold (e.g. an entity no longer configured) are
 * kept and reported, and a property of the same name but another type is reported as a conflict,
 * never overwritten (changing a type can destroy the values stored on records).
 */
import { PROPERTY_GROUPS, propertyCatalog, type CrmObjectType, type PropertyDefinition, type PropertyGroupDefinition, type PropertyOption } from '../catalog.js';
import type { BillwerkEntity } from '../config.js';
import type { Deps } from '../deps.js';
import type { HubSpotApi, PropertyGroupInfo, PropertyInfo } from '../hubspot/api.js';
import { succeed, type Outcome } from '../result.js';

export const SETUP_OBJECT_TYPES: readonly CrmObjectType[] = ['deals', 'companies', 'contacts', 'products'];

export interface ExistingSchema {
  groups: Partial<Record<CrmObjectType, PropertyGroupInfo[]>>;
  properties: Partial<Record<CrmObjectType, PropertyInfo[]>>;
}

export type SetupAction =
  | { kind: 'createGroup'; group: PropertyGroupDefinition }
  | { kind: 'createProperty'; property: PropertyDefinition }
  | { kind: 'updateProperty'; property: PropertyDefinition; changes: string[] };

export interface SetupConflict {
  /** `deals.billwerk_entity` */
  item: string;
  message: string;
}

export interface SetupPlan {
  actions: SetupAction[];
  unchanged: string[];
  conflicts: SetupConflict[];
  /** Things left alone on purpose that an admin may want to know about (kept options, group labels). */
  notes: string[];
}

export interface SetupReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  conflicts: SetupConflict[];
  notes: string[];
}

const itemName = (objectType: string, name: string) => `${objectType}.${name}`;

/** Pure: what setup has to write so that `existing` holds everything the catalog describes. */
export function planSetup(
  existing: ExistingSchema,
  wanted: { groups: readonly PropertyGroupDefinition[]; properties: readonly PropertyDefinition[] },
): SetupPlan {
  const plan: SetupPlan = { actions: [], unchanged: [], conflicts: [], notes: [] };

  for (const group of wanted.groups) {
    const item = itemName(group.objectType, `group ${group.name}`);
    const found = existing.groups[group.objectType]?.find((g) => g.name === group.name);
    if (!found) plan.actions.push({ kind: 'createGroup', group });
    else {
      plan.unchanged.push(item);
      // The HubSpot API interface has no group update; an admin's own label is respected.
      if (found.label !== group.label) plan.notes.push(`${item} is labelled "${found.label}" (setup would name it "${group.label}"); left as it is.`);
    }
  }

  for (const property of wanted.properties) {
    const item = itemName(property.objectType, property.name);
    const found = existing.properties[property.objectType]?.find((p) => p.name === property.name);
    if (!found) {
      plan.actions.push({ kind: 'createProperty', property });
      continue;
    }
    const conflict = conflictOf(property, found);
    if (conflict) {
      plan.conflicts.push({ item, message: conflict });
      continue;
    }
    const { options, kept } = mergeOptions(property.options, found.options);
    if (kept.length) {
      plan.notes.push(`${item} keeps option(s) no longer configured, because records may still use them: ${kept.map((o) => `"${o.label}" (${o.value})`).join(', ')}.`);
    }
    const changes = differences(property, found);
    if (changes.length) plan.actions.push({ kind: 'updateProperty', property: { ...property, ...(options ? { options } : {}) }, changes });
    else plan.unchanged.push(item);
  }
  return plan;
}

function conflictOf(wanted: PropertyDefinition, found: PropertyInfo): string | undefined {
  if (found.hubspotDefined) return `HubSpot already defines a property named ${wanted.name}; the connector cannot own it.`;
  if (found.type !== wanted.type) {
    return `exists with type "${found.type}" but the connector needs "${wanted.type}". Not changed, because changing a type can destroy stored values: rename or delete the existing property in HubSpot, then run setup again.`;
  }
  return undefined;
}

/** Catalog options first (with the catalog's labels), then the portal's extra options, which are never removed. */
export function mergeOptions(
  wanted: readonly PropertyOption[] | undefined,
  found: readonly PropertyOption[],
): { options: PropertyOption[] | undefined; kept: PropertyOption[] } {
  if (!wanted) return { options: undefined, kept: [] };
  const wantedValues = new Set(wanted.map((o) => o.value));
  const kept = found.filter((o) => !wantedValues.has(o.value)).map((o) => ({ value: o.value, label: o.label }));
  return { options: [...wanted.map((o) => ({ ...o })), ...kept], kept };
}

/** Field names that differ; option order is the admin's business, only values and labels count. */
function differences(wanted: PropertyDefinition, found: PropertyInfo): string[] {
  const changes: string[] = [];
  if (found.label !== wanted.label) changes.push('label');
  if ((found.description ?? '') !== wanted.description) changes.push('description');
  if (found.groupName !== wanted.groupName) changes.push('group');
  if (found.fieldType !== wanted.fieldType) changes.push('field type');
  if (wanted.options) {
    const labels = new Map(found.options.map((o) => [o.value, o.label]));
    if (wanted.options.some((o) => labels.get(o.value) !== o.label)) changes.push('options');
  }
  return changes;
}

/** Everything setup manages, for the given entities (their names become the Entity options). */
export function setupCatalog(entities: readonly BillwerkEntity[]) {
  return { groups: PROPERTY_GROUPS, properties: propertyCatalog(entities) };
}

/** Reads the portal's groups and properties of every object type setup manages (8 reads). */
export async function readSchema(hubspot: Pick<HubSpotApi, 'listPropertyGroups' | 'listProperties'>): Promise<ExistingSchema> {
  const existing: ExistingSchema = { groups: {}, properties: {} };
  await Promise.all(
    SETUP_OBJECT_TYPES.map(async (type) => {
      const [groups, properties] = await Promise.all([hubspot.listPropertyGroups(type), hubspot.listProperties(type)]);
      existing.groups[type] = groups;
      existing.properties[type] = properties;
    }),
  );
  return existing;
}

/** Read-only: what a run would do now (the settings page's setup status). */
export async function inspectSetup(deps: Pick<Deps, 'hubspot'>, entities: readonly BillwerkEntity[]): Promise<SetupPlan> {
  return planSetup(await readSchema(deps.hubspot), setupCatalog(entities));
}

// Property writes run a few at a time: a fresh portal needs ~70 creates, which one by one could
// outlast a function call, while all at once would hit HubSpot's burst limit.
const WRITE_CONCURRENCY = 5;

export async function runSetup(deps: Pick<Deps, 'hubspot' | 'logger'>, entities: readonly BillwerkEntity[]): Promise<Outcome<SetupReport>> {
  const plan = await inspectSetup(deps, entities);
  const report: SetupReport = { created: [], updated: [], unchanged: plan.unchanged, conflicts: plan.conflicts, notes: plan.notes };

  // Groups before properties: a property needs its group.
  for (const action of plan.actions) {
    if (action.kind !== 'createGroup') continue;
    await deps.hubspot.createPropertyGroup(action.group);
    report.created.push(itemName(action.group.objectType, `group ${action.group.name}`));
  }
  const propertyActions = plan.actions.filter((a) => a.kind !== 'createGroup');
  await inBatches(propertyActions, WRITE_CONCURRENCY, async (action) => {
    const item = itemName(action.property.objectType, action.property.name);
    if (action.kind === 'createProperty') {
      await deps.hubspot.createProperty(action.property);
      report.created.push(item);
    } else {
      await deps.hubspot.updateProperty(action.property);
      report.updated.push(`${item} (${action.changes.join(', ')})`);
    }
  });
  report.created.sort();
  report.updated.sort();
  deps.logger.info('setup finished', {
    created: report.created.length, updated: report.updated.length, unchanged: report.unchanged.length, conflicts: report.conflicts.length,
  });
  return succeed(report);
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}
