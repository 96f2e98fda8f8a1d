/**
 * Setup: creates or updates every property group, property and option of the catalog
 * (src/core/catalog.ts) on deals, companies, contacts and products. Idempotent: it reads what exists,
 * decides (pure `planSetup`), and writes only the differences, so a second run makes no write.
 *
 * It never deletes: options that records may still hold (e.g. an entity no longer configured) are
 * kept and reported, and a property of the same name but another type (or without the unique values
 * the catalog asks for) is reported as a conflict, never overwritten (changing a type can destroy the
 * values stored on records; HubSpot cannot make an existing property unique).
 *
 * After the properties, setup gives deals applied before `billwerk_owned_contract_id` existed their
 * owner value (backfillContractOwners), so billwerk events find every owning deal without a search.
 */
import {
  DEAL,
  PROPERTY_GROUPS,
  propertyCatalog,
  type CrmObjectType,
  type PropertyDefinition,
  type PropertyGroupDefinition,
  type PropertyOption,
} from '../catalog.js';
import type { BillwerkEntity } from '../config.js';
import type { Deps } from '../deps.js';
import type { CrmRecord, HubSpotApi, PropertyGroupInfo, PropertyInfo } from '../hubspot/api.js';
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
      if (found.label !== group.label)
        plan.notes.push(`${item} is labelled "${found.label}" (setup would name it "${group.label}"); left as it is.`);
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
      plan.notes.push(
        `${item} keeps option(s) no longer configured, because records may still use them: ${kept.map((o) => `"${o.label}" (${o.value})`).join(', ')}.`,
      );
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
  if (wanted.hasUniqueValue && found.hasUniqueValue !== true) {
    return 'exists without "unique values", which the connector needs (billwerk events find their deal by it). HubSpot cannot make an existing property unique: rename or delete the existing property in HubSpot, then run setup again.';
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
  if (ownerPropertyReady(plan)) report.notes.push(...(await backfillContractOwners(deps.hubspot)));
  report.created.sort();
  report.updated.sort();
  deps.logger.info('setup finished', {
    created: report.created.length,
    updated: report.updated.length,
    unchanged: report.unchanged.length,
    conflicts: report.conflicts.length,
  });
  return succeed(report);
}

/** The owner property and the two properties of the ownership rule exist as the catalog wants them. */
function ownerPropertyReady(plan: SetupPlan): boolean {
  const needed = [DEAL.ownedContractId, DEAL.contractId, DEAL.contractSynced].map((name) => itemName('deals', name));
  return !plan.conflicts.some((c) => needed.includes(c.item));
}

/**
 * Deals applied before `billwerk_owned_contract_id` existed own their contract by the ownership rule
 * only (contract id + synced = true). Setup is no hot path, so one search finds them; per contract the
 * newest such deal (the one the old search-based lookup updated) gets the owner value, unless another
 * deal holds it already. Idempotent: once backfilled, the search finds nothing and nothing is written.
 * Returns notes for the admin.
 */
export async function backfillContractOwners(
  hubspot: Pick<HubSpotApi, 'searchAll' | 'batchReadByProperty' | 'batchUpdate'>,
): Promise<string[]> {
  const legacy = await hubspot.searchAll('deals', {
    filterGroups: [
      {
        filters: [
          { propertyName: DEAL.contractSynced, operator: 'EQ', value: 'true' },
          { propertyName: DEAL.contractId, operator: 'HAS_PROPERTY' },
          { propertyName: DEAL.ownedContractId, operator: 'NOT_HAS_PROPERTY' },
        ],
      },
    ],
    properties: ['dealname', DEAL.contractId, 'createdate'],
    sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
  });
  const claimants = new Map<string, CrmRecord[]>(); // contract id -> deals claiming it
  for (const deal of legacy) {
    const contractId = deal.properties[DEAL.contractId]?.trim();
    if (contractId) claimants.set(contractId, [...(claimants.get(contractId) ?? []), deal]);
  }
  if (claimants.size === 0) return [];

  const held = await hubspot.batchReadByProperty('deals', DEAL.ownedContractId, [...claimants.keys()], ['dealname']);
  const holderOf = new Map(held.map((d) => [d.properties[DEAL.ownedContractId]!, d.id]));
  const updates: { id: string; properties: Record<string, string> }[] = [];
  const notes: string[] = [];
  for (const [contractId, deals] of claimants) {
    const holder = holderOf.get(contractId);
    if (holder) {
      notes.push(
        `Deal(s) ${deals.map((d) => d.id).join(', ')} also have billwerk contract ${contractId} and "Synced with billwerk contract" = Yes, but deal ${holder} owns it; billwerk events update only deal ${holder}. Set "Synced" to No on the others.`,
      );
      continue;
    }
    const [newest, ...older] = [...deals].sort(newestFirst);
    updates.push({ id: newest!.id, properties: { [DEAL.ownedContractId]: contractId } });
    if (older.length) {
      notes.push(
        `Deal(s) ${older.map((d) => d.id).join(', ')} also have billwerk contract ${contractId} and "Synced with billwerk contract" = Yes; billwerk events update only the newest, deal ${newest!.id}. Set "Synced" to No on the others.`,
      );
    }
  }
  if (updates.length) {
    await hubspot.batchUpdate('deals', updates);
    notes.unshift(
      `${updates.length} deal(s) applied before "billwerk contract (owner)" existed now hold their contract there, so billwerk events find them: ${updates.map((u) => `deal ${u.id} (contract ${u.properties[DEAL.ownedContractId]})`).join(', ')}.`,
    );
  }
  return notes;
}

/** Newest deal first: by create date, then by the larger id (tie-break for deals created in the same millisecond). */
function newestFirst(a: CrmRecord, b: CrmRecord): number {
  const byDate = Date.parse(b.properties.createdate ?? '') - Date.parse(a.properties.createdate ?? '');
  return Number.isFinite(byDate) && byDate !== 0 ? byDate : Number(b.id) - Number(a.id);
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}
