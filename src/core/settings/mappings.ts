/**
 * Custom field mappings: an admin links a HubSpot property of the "Billwerk custom fields sync" group
 * to a billwerk custom field, per entity and object (deal ↔ contract, company ↔ customer).
 *
 * Storage (why: docs/mappings.md): the options of one connector-owned enumeration property on deals,
 * `billwerk_custom_field_mappings`. One option = one mapping; its value encodes the mapping, its label
 * says it in words. It needs only the properties API (scopes the connector already has), one GET loads
 * every mapping, and HubSpot keeps it with the portal: no external database.
 *
 * The apply functions are pure: the flows load the mappings once and pass them in.
 */
import { z } from 'zod';
import { GROUP, type CrmObjectType, type PropertyDefinition, type PropertyOption } from '../catalog.js';
import type { BillwerkEntity } from '../config.js';
import type { BillwerkApi } from '../billwerk/api.js';
import type { CrmRecord, HubSpotApi, PropertyInfo } from '../hubspot/api.js';
import { fail, succeed, type Outcome, type Problem } from '../result.js';

export const MAPPING_OBJECTS = {
  deal: { hubspotType: 'deals', billwerkObject: 'contract', label: 'Deal ↔ contract' },
  company: { hubspotType: 'companies', billwerkObject: 'customer', label: 'Company ↔ customer' },
} as const satisfies Record<string, { hubspotType: CrmObjectType; billwerkObject: string; label: string }>;

export type MappingObject = keyof typeof MAPPING_OBJECTS;

export const mappingObjectSchema = z.enum(['deal', 'company']);

const RESERVED_FIELD_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

export const customFieldMappingSchema = z.object({
  entityId: z.string().trim().min(1, 'choose an entity').max(64),
  object: mappingObjectSchema,
  hubspotProperty: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]*$/, 'choose a HubSpot property'),
  billwerkField: z
    .string()
    .trim()
    .min(1, 'enter the billwerk custom field')
    .max(100, 'billwerk custom field names are at most 100 characters')
    // Control characters cannot be part of a JSON key billwerk would accept from a form.
    .refine((v) => !/[\u0000-\u001f]/.test(v), 'the billwerk custom field name contains invisible characters')
    // Keys a JavaScript object treats specially: `fields['__proto__'] = v` would silently drop the value.
    .refine((v) => !RESERVED_FIELD_NAMES.has(v), 'this name cannot be used as a billwerk custom field (reserved word)'),
  /** Saved although billwerk held no such field on the entity's customers/contracts (the admin confirmed). */
  unverified: z.boolean().optional(),
});
export type CustomFieldMapping = z.infer<typeof customFieldMappingSchema>;

/**
 * billwerk's rule for a custom field's API name (Settings › Customization › Custom Fields): "must not be
 * empty, must start with a letter or an underscore, and must contain only letters, numbers, and
 * underscores" (docu.billwerk.plus/help/transform_en/en/configuration-and-settings/customization/how-can-i-configure-custom-fields-.html).
 */
export const BILLWERK_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The `field` of the problem that asks the admin to confirm a billwerk field billwerk does not show
 * (the settings page offers "Save anyway" for it; src/app/settings/types.ts has the same words).
 */
export const UNKNOWN_BILLWERK_FIELD = 'billwerk custom field (not found in billwerk)';

/** How many of the entity's customers/contracts are read to learn which custom fields billwerk holds. */
export const FIELD_SAMPLE = 100;

/** The property whose options hold the mappings (on deals, in the connector's own group). */
export const MAPPING_STORE = {
  objectType: 'deals',
  name: 'billwerk_custom_field_mappings',
  /** Always present: marks the format, and keeps the enumeration non-empty when no mapping exists. */
  formatOption: { value: 'format:1', label: 'Managed on the billwerk connector settings page (do not edit)' },
} as const;

function storeDefinition(options: PropertyOption[]): PropertyDefinition {
  return {
    objectType: MAPPING_STORE.objectType,
    name: MAPPING_STORE.name,
    label: 'billwerk custom field mappings',
    description:
      'Storage of the billwerk connector: each option is one custom field mapping. Change mappings on the app settings page, not here; this property is not used on deals.',
    groupName: GROUP.billwerk,
    type: 'enumeration',
    fieldType: 'select',
    options,
    connectorOwned: true,
  };
}

// ---------------------------------------------------------------------------------------------------
// Encoding: `m1|<entity>|<object>|<hubspot property>|<billwerk field>`, each part URI-encoded so a `|`
// inside a billwerk field name cannot split it.

const PREFIX = 'm1';

/** The mapping's identity (entity, object, both fields); the stored option value adds `|unverified` when flagged. */
export function mappingKey(m: CustomFieldMapping): string {
  return [PREFIX, m.entityId, m.object, m.hubspotProperty, m.billwerkField].map(encodeURIComponent).join('|');
}

const UNVERIFIED = 'unverified';

export function parseMappingKey(value: string): CustomFieldMapping | undefined {
  const parts = value.split('|');
  const flagged = parts.length === 6 && parts[5] === UNVERIFIED;
  if ((parts.length !== 5 && !flagged) || parts[0] !== PREFIX) return undefined;
  try {
    const [, entityId, object, hubspotProperty, billwerkField] = parts.slice(0, 5).map(decodeURIComponent);
    const parsed = customFieldMappingSchema.safeParse({
      entityId,
      object,
      hubspotProperty,
      billwerkField,
      ...(flagged ? { unverified: true } : {}),
    });
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function describeMapping(m: CustomFieldMapping, entities: readonly BillwerkEntity[] = []): string {
  const entity = entities.find((e) => e.id === m.entityId)?.name ?? m.entityId;
  const { billwerkObject } = MAPPING_OBJECTS[m.object];
  return `${entity}: ${m.object} property ${m.hubspotProperty} ↔ ${billwerkObject} custom field ${m.billwerkField}`;
}

function toOption(m: CustomFieldMapping): PropertyOption {
  // Labels must be unique in HubSpot; the key is, so it goes into the label as well.
  return {
    value: m.unverified ? `${mappingKey(m)}|${UNVERIFIED}` : mappingKey(m),
    label: `${m.object}.${m.hubspotProperty} ↔ ${MAPPING_OBJECTS[m.object].billwerkObject}.${m.billwerkField} (${m.entityId})${m.unverified ? ' – not found in billwerk' : ''}`,
  };
}

/** Mappings stored in the property's options; options that are no mapping are ignored. */
export function mappingsFromProperty(property: Pick<PropertyInfo, 'options'> | undefined): CustomFieldMapping[] {
  if (!property) return [];
  const out: CustomFieldMapping[] = [];
  for (const option of property.options) {
    const mapping = parseMappingKey(option.value);
    if (mapping) out.push(mapping);
  }
  return out;
}

/** Every mapping, read with one call. No store property yet = no mappings. */
export async function loadMappings(hubspot: Pick<HubSpotApi, 'getProperty'>): Promise<CustomFieldMapping[]> {
  return mappingsFromProperty(await hubspot.getProperty(MAPPING_STORE.objectType, MAPPING_STORE.name));
}

// ---------------------------------------------------------------------------------------------------
// Add / remove

const sameTarget = (a: CustomFieldMapping, b: CustomFieldMapping) => a.entityId === b.entityId && a.object === b.object;

/** Pure: the problems that keep `mapping` from being added to `existing`. */
export function mappingProblems(
  mapping: CustomFieldMapping,
  existing: readonly CustomFieldMapping[],
  context: { entities: readonly BillwerkEntity[]; customFieldProperties: readonly Pick<PropertyInfo, 'name' | 'label' | 'groupName'>[] },
): Problem[] {
  const problems: Problem[] = [];
  const record = 'custom field mapping';
  if (!context.entities.some((e) => e.id === mapping.entityId)) {
    problems.push({ record, field: 'Entity', message: `Entity ${mapping.entityId} is not configured in BILLWERK_ENTITIES.` });
  }
  if (!BILLWERK_FIELD_NAME.test(mapping.billwerkField)) {
    problems.push({
      record,
      field: 'billwerk custom field',
      message: `"${mapping.billwerkField}" is not a billwerk API name: it starts with a letter or an underscore and has only letters, numbers and underscores (billwerk › Settings › Customization › Custom Fields shows each field's API name).`,
    });
  }
  const property = context.customFieldProperties.find((p) => p.name === mapping.hubspotProperty);
  if (!property) {
    problems.push({
      record,
      field: 'HubSpot property',
      message: `The ${mapping.object} property ${mapping.hubspotProperty} does not exist in the group "Billwerk custom fields sync". Create it there first.`,
    });
  }
  for (const other of existing.filter((e) => sameTarget(e, mapping))) {
    if (other.hubspotProperty === mapping.hubspotProperty) {
      problems.push({
        record,
        field: 'HubSpot property',
        message: `${mapping.hubspotProperty} is already mapped to the billwerk custom field ${other.billwerkField} for this entity.`,
      });
    } else if (other.billwerkField === mapping.billwerkField) {
      problems.push({
        record,
        field: 'billwerk custom field',
        message: `${mapping.billwerkField} is already mapped to the HubSpot property ${other.hubspotProperty} for this entity.`,
      });
    }
  }
  return problems;
}

/** Properties of `object` in the "Billwerk custom fields sync" group: what a mapping may use. */
export async function listCustomFieldProperties(
  hubspot: Pick<HubSpotApi, 'listProperties'>,
  object: MappingObject,
): Promise<PropertyInfo[]> {
  const all = await hubspot.listProperties(MAPPING_OBJECTS[object].hubspotType);
  return all.filter((p) => p.groupName === GROUP.customFields).sort((a, b) => a.label.localeCompare(b.label));
}

export interface MappingDeps {
  hubspot: HubSpotApi;
  entities: readonly BillwerkEntity[];
  /** Asked which custom fields the entity's customers/contracts hold; without it the check is skipped. */
  billwerk?: BillwerkApi;
}

/**
 * The custom field names billwerk holds on up to FIELD_SAMPLE customers (company mappings) or
 * contracts (deal mappings) of the entity. billwerk's API has no list of custom field definitions
 * (they are configured in its web app), so the records are the evidence; a field no record uses yet
 * is not found, which is why an admin may confirm it.
 */
export async function customFieldsInBillwerk(billwerk: BillwerkApi, entityId: string, object: MappingObject): Promise<Set<string>> {
  const api = billwerk.forEntity(entityId);
  const records = object === 'company' ? await api.listCustomersPage(FIELD_SAMPLE) : await api.listContractsPage(FIELD_SAMPLE);
  return new Set(records.flatMap((r) => Object.keys(r.CustomFields ?? {})));
}

async function unknownFieldProblem(billwerk: BillwerkApi, mapping: CustomFieldMapping): Promise<Problem | undefined> {
  const records = mapping.object === 'company' ? 'customers' : 'contracts';
  let known: Set<string>;
  try {
    known = await customFieldsInBillwerk(billwerk, mapping.entityId, mapping.object);
  } catch {
    return {
      record: 'custom field mapping',
      field: UNKNOWN_BILLWERK_FIELD,
      message: `billwerk could not be asked which custom fields its ${records} hold. Save anyway if ${mapping.billwerkField} is the field's API name in billwerk.`,
    };
  }
  if (known.has(mapping.billwerkField)) return undefined;
  const similar = [...known].find((name) => name.toLowerCase() === mapping.billwerkField.toLowerCase());
  return {
    record: 'custom field mapping',
    field: UNKNOWN_BILLWERK_FIELD,
    message: similar
      ? `billwerk's ${records} hold "${similar}", not "${mapping.billwerkField}" (API names are case-sensitive).`
      : `None of the ${FIELD_SAMPLE} newest billwerk ${records} of this entity holds a custom field "${mapping.billwerkField}"${known.size ? ` (they hold: ${[...known].sort().join(', ')})` : ''}. Check its API name in billwerk › Settings › Customization › Custom Fields, or save anyway for a field no ${records.slice(0, -1)} uses yet.`,
  };
}

/**
 * Adds one mapping after checking it; returns every mapping. Adding an existing mapping again changes
 * nothing. A billwerk field billwerk does not show is saved only with `confirmUnknownField`, and then
 * marked `unverified` (the settings page warns about it in the list).
 */
export async function addMapping(
  deps: MappingDeps,
  input: CustomFieldMapping,
  options: { confirmUnknownField?: boolean } = {},
): Promise<Outcome<CustomFieldMapping[]>> {
  const { unverified: _ignored, ...parsed } = customFieldMappingSchema.parse(input);
  let mapping: CustomFieldMapping = parsed;
  const store = await deps.hubspot.getProperty(MAPPING_STORE.objectType, MAPPING_STORE.name);
  const existing = mappingsFromProperty(store);
  if (existing.some((m) => mappingKey(m) === mappingKey(mapping))) return succeed(existing);
  const problems = mappingProblems(mapping, existing, {
    entities: deps.entities,
    customFieldProperties: await listCustomFieldProperties(deps.hubspot, mapping.object),
  });
  if (problems.length) return fail(...problems);
  const unknown = deps.billwerk ? await unknownFieldProblem(deps.billwerk, mapping) : undefined;
  if (unknown && !options.confirmUnknownField) return fail(unknown);
  if (unknown) mapping = { ...mapping, unverified: true };
  return writeStore(deps.hubspot, store, [...existing, mapping]);
}

/** Removes one mapping; removing one that is not there changes nothing. Never touches record values. */
export async function removeMapping(deps: Pick<MappingDeps, 'hubspot'>, input: CustomFieldMapping): Promise<Outcome<CustomFieldMapping[]>> {
  const mapping = customFieldMappingSchema.parse(input);
  const store = await deps.hubspot.getProperty(MAPPING_STORE.objectType, MAPPING_STORE.name);
  const existing = mappingsFromProperty(store);
  const kept = existing.filter((m) => mappingKey(m) !== mappingKey(mapping));
  if (kept.length === existing.length) return succeed(existing);
  return writeStore(deps.hubspot, store, kept);
}

async function writeStore(
  hubspot: HubSpotApi,
  store: PropertyInfo | undefined,
  mappings: CustomFieldMapping[],
): Promise<Outcome<CustomFieldMapping[]>> {
  const definition = storeDefinition([{ ...MAPPING_STORE.formatOption }, ...mappings.map(toOption)]);
  if (store) {
    await hubspot.updateProperty(definition);
  } else {
    const groups = await hubspot.listPropertyGroups(MAPPING_STORE.objectType);
    if (!groups.some((g) => g.name === GROUP.billwerk)) {
      return fail({ message: "The connector's deal properties are missing. Run setup first, then add the mapping again." });
    }
    await hubspot.createProperty(definition);
  }
  return succeed(mappings);
}

// ---------------------------------------------------------------------------------------------------
// Applying mappings (pure)

/** Mappings of one object and entity. */
export function mappingsFor(mappings: readonly CustomFieldMapping[], object: MappingObject, entityId: string): CustomFieldMapping[] {
  return mappings.filter((m) => m.object === object && m.entityId === entityId);
}

/** HubSpot property names a flow must read to apply the mappings of `object` (any entity). */
export function mappedHubSpotProperties(mappings: readonly CustomFieldMapping[], object: MappingObject): string[] {
  return [...new Set(mappings.filter((m) => m.object === object).map((m) => m.hubspotProperty))];
}

function fieldsFromRecord(
  record: CrmRecord,
  mappings: readonly CustomFieldMapping[],
  object: MappingObject,
  entityId: string,
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of mappingsFor(mappings, object, entityId)) {
    const value = record.properties[m.hubspotProperty];
    // Empty HubSpot values are not sent: a blank (or unread) property never wipes billwerk data.
    if (typeof value === 'string' && value.trim() !== '') fields[m.billwerkField] = value;
  }
  return fields;
}

/** Company -> billwerk customer `CustomFields` (customer sync and signup with a new customer). */
export function customerCustomFieldsFrom(
  company: CrmRecord,
  mappings: readonly CustomFieldMapping[],
  entityId: string,
): Record<string, string> {
  return fieldsFromRecord(company, mappings, 'company', entityId);
}

/** Deal -> billwerk contract `CustomFields`, sent once when the contract is created (guide: later deal edits are not sent). */
export function contractCustomFieldsFrom(
  deal: CrmRecord,
  mappings: readonly CustomFieldMapping[],
  entityId: string,
): Record<string, string> {
  return fieldsFromRecord(deal, mappings, 'deal', entityId);
}

/** billwerk custom field values are JSON; HubSpot wants strings. Objects and arrays cannot be mapped. */
export function toHubSpotValue(value: unknown): string | undefined {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

function propertiesFromFields(
  customFields: Record<string, unknown> | null | undefined,
  mappings: readonly CustomFieldMapping[],
  object: MappingObject,
  entityId: string,
): Record<string, string> {
  const properties: Record<string, string> = {};
  if (!customFields) return properties;
  for (const m of mappingsFor(mappings, object, entityId)) {
    // A field billwerk does not send leaves the HubSpot value alone; an explicit null clears it.
    if (!Object.hasOwn(customFields, m.billwerkField)) continue;
    const value = toHubSpotValue(customFields[m.billwerkField]);
    if (value !== undefined) properties[m.hubspotProperty] = value;
  }
  return properties;
}

/** billwerk contract -> deal properties (webhook updates). */
export function dealPropertiesFromContract(
  contract: { CustomFields?: Record<string, unknown> | null },
  mappings: readonly CustomFieldMapping[],
  entityId: string,
): Record<string, string> {
  return propertiesFromFields(contract.CustomFields, mappings, 'deal', entityId);
}

/** billwerk custom fields to PATCH: the customer's current ones with the mapped ones on top (a PATCH may replace the whole object). */
export function mergedCustomFields(
  current: Record<string, unknown> | null | undefined,
  mapped: Record<string, string>,
): Record<string, unknown> | undefined {
  if (Object.keys(mapped).length === 0) return undefined;
  return { ...(current ?? {}), ...mapped };
}
