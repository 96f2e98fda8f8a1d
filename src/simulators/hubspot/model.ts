/**
 * What the simulated HubSpot portal knows before anyone writes to it: object types (names and
 * `0-x` ids), HubSpot's standard properties, the default deal pipeline, and the HUBSPOT_DEFINED
 * association type ids.
 *
 * Sources: https://developers.hubspot.com/docs/api/crm/understanding-the-crm (object type ids),
 * https://developers.hubspot.com/docs/api/crm/associations/v4 (default association type ids),
 * @hubspot/api-client `AssociationTypes` enum (same ids).
 */
import type { ObjectType } from '../../core/hubspot/api.js';

export const OBJECT_TYPES: readonly ObjectType[] = ['deals', 'companies', 'contacts', 'line_items', 'products', 'notes'];

/** HubSpot's object type ids; the API accepts them wherever it accepts the plural name. */
export const OBJECT_TYPE_IDS: Record<ObjectType, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  products: '0-7',
  line_items: '0-8',
  notes: '0-46',
};

const ALIASES: Record<string, ObjectType> = {
  ...Object.fromEntries(OBJECT_TYPES.map((t) => [t, t])),
  ...Object.fromEntries(Object.entries(OBJECT_TYPE_IDS).map(([t, id]) => [id, t as ObjectType])),
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  product: 'products',
  line_item: 'line_items',
  note: 'notes',
};

export function toObjectType(name: string): ObjectType | undefined {
  return ALIASES[name.toLowerCase()];
}

/** Singular names used in v3 association type labels such as `deal_to_company`. */
export const SINGULAR: Record<ObjectType, string> = {
  deals: 'deal',
  companies: 'company',
  contacts: 'contact',
  line_items: 'line_item',
  products: 'product',
  notes: 'note',
};

export interface SimProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: { value: string; label: string; hidden: boolean; displayOrder: number; description?: string }[];
  displayOrder: number;
  hidden: boolean;
  formField: boolean;
  hasUniqueValue: boolean;
  calculated: boolean;
  externalOptions: boolean;
  hubspotDefined: boolean;
  /** HubSpot computes it; writes are rejected with READ_ONLY_VALUE. */
  readOnlyValue: boolean;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface SimPropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

/** The default sales pipeline (`default`) with HubSpot's stage ids. */
export const DEFAULT_PIPELINE = {
  id: 'default',
  label: 'Sales Pipeline',
  stages: [
    { id: 'appointmentscheduled', label: 'Appointment Scheduled', probability: '0.2', isClosed: false },
    { id: 'qualifiedtobuy', label: 'Qualified To Buy', probability: '0.4', isClosed: false },
    { id: 'presentationscheduled', label: 'Presentation Scheduled', probability: '0.6', isClosed: false },
    { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', probability: '0.8', isClosed: false },
    { id: 'contractsent', label: 'Contract Sent', probability: '0.9', isClosed: false },
    { id: 'closedwon', label: 'Closed Won', probability: '1.0', isClosed: true },
    { id: 'closedlost', label: 'Closed Lost', probability: '0.0', isClosed: true },
  ],
} as const;

type StandardSpec = [name: string, label: string, type: string, fieldType: string, extra?: Partial<SimProperty>];

const opts = (pairs: [string, string][]): SimProperty['options'] =>
  pairs.map(([value, label], i) => ({ value, label, hidden: false, displayOrder: i }));

const readOnly: Partial<SimProperty> = { readOnlyValue: true, calculated: true };

/** The portal's currencies (deal and line item currency codes). */
const CURRENCY_OPTIONS = opts([
  ['EUR', 'Euro'],
  ['USD', 'US Dollar'],
  ['GBP', 'British Pound'],
  ['CHF', 'Swiss Franc'],
]);

const COMMON: StandardSpec[] = [
  ['hs_object_id', 'Record ID', 'number', 'number', readOnly],
  ['hs_createdate', 'Create Date', 'datetime', 'date', readOnly],
  ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', readOnly],
  ['hubspot_owner_id', 'Owner', 'enumeration', 'select', { externalOptions: true }],
];

const BILLING_FREQUENCY = opts([
  ['weekly', 'Weekly'],
  ['biweekly', 'Biweekly'],
  ['monthly', 'Monthly'],
  ['quarterly', 'Quarterly'],
  ['per_six_months', 'Every six months'],
  ['annually', 'Annually'],
  ['per_two_years', 'Every two years'],
  ['per_three_years', 'Every three years'],
  ['per_four_years', 'Every four years'],
  ['per_five_years', 'Every five years'],
]);

const STANDARD: Record<ObjectType, StandardSpec[]> = {
  deals: [
    ['dealname', 'Deal Name', 'string', 'text'],
    ['dealstage', 'Deal Stage', 'enumeration', 'radio', { options: opts(DEFAULT_PIPELINE.stages.map((s) => [s.id, s.label])) }],
    ['pipeline', 'Pipeline', 'enumeration', 'select', { options: opts([[DEFAULT_PIPELINE.id, DEFAULT_PIPELINE.label]]) }],
    ['amount', 'Amount', 'number', 'number'],
    ['closedate', 'Close Date', 'datetime', 'date'],
    ['createdate', 'Create Date', 'datetime', 'date', readOnly],
    ['description', 'Deal Description', 'string', 'textarea'],
    [
      'dealtype',
      'Deal Type',
      'enumeration',
      'radio',
      {
        options: opts([
          ['newbusiness', 'New Business'],
          ['existingbusiness', 'Existing Business'],
        ]),
      },
    ],
    ['deal_currency_code', 'Currency', 'enumeration', 'select', { options: CURRENCY_OPTIONS }],
    [
      'hs_is_closed_won',
      'Is Closed Won',
      'bool',
      'booleancheckbox',
      {
        ...readOnly,
        options: opts([
          ['true', 'True'],
          ['false', 'False'],
        ]),
      },
    ],
    [
      'hs_is_closed',
      'Is Deal Closed?',
      'bool',
      'booleancheckbox',
      {
        ...readOnly,
        options: opts([
          ['true', 'True'],
          ['false', 'False'],
        ]),
      },
    ],
  ],
  companies: [
    ['name', 'Company name', 'string', 'text'],
    ['domain', 'Company Domain Name', 'string', 'text'],
    ['phone', 'Phone Number', 'string', 'phonenumber'],
    ['address', 'Street Address', 'string', 'text'],
    ['address2', 'Street Address 2', 'string', 'text'],
    ['city', 'City', 'string', 'text'],
    ['zip', 'Postal Code', 'string', 'text'],
    ['state', 'State/Region', 'string', 'text'],
    ['country', 'Country/Region', 'string', 'text'],
    ['description', 'Description', 'string', 'textarea'],
    ['industry', 'Industry', 'string', 'text'],
    ['createdate', 'Create Date', 'datetime', 'date', readOnly],
  ],
  contacts: [
    ['firstname', 'First Name', 'string', 'text'],
    ['lastname', 'Last Name', 'string', 'text'],
    ['email', 'Email', 'string', 'text'],
    ['phone', 'Phone Number', 'string', 'phonenumber'],
    ['company', 'Company Name', 'string', 'text'],
    ['address', 'Street Address', 'string', 'text'],
    ['city', 'City', 'string', 'text'],
    ['zip', 'Postal Code', 'string', 'text'],
    ['state', 'State/Region', 'string', 'text'],
    ['country', 'Country/Region', 'string', 'text'],
    ['jobtitle', 'Job Title', 'string', 'text'],
    ['createdate', 'Create Date', 'datetime', 'date', readOnly],
    ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', readOnly],
  ],
  line_items: [
    ['name', 'Name', 'string', 'text'],
    ['hs_product_id', 'Product ID', 'number', 'number'],
    ['quantity', 'Quantity', 'number', 'number'],
    ['price', 'Unit price', 'number', 'number'],
    ['amount', 'Net price', 'number', 'number', readOnly],
    ['hs_sku', 'SKU', 'string', 'text'],
    ['description', 'Description', 'string', 'textarea'],
    ['discount', 'Unit discount', 'number', 'number'],
    ['hs_discount_percentage', 'Discount Percentage', 'number', 'number'],
    ['recurringbillingfrequency', 'Billing frequency', 'enumeration', 'select', { options: BILLING_FREQUENCY }],
    ['hs_recurring_billing_period', 'Term', 'string', 'text'],
    ['hs_recurring_billing_start_date', 'Billing start date', 'date', 'date'],
    ['hs_line_item_currency_code', 'Currency', 'enumeration', 'select', { options: CURRENCY_OPTIONS }],
    ['hs_position_on_quote', 'Position on quote', 'number', 'number'],
    ['createdate', 'Create Date', 'datetime', 'date', readOnly],
  ],
  products: [
    ['name', 'Name', 'string', 'text'],
    ['price', 'Unit price', 'number', 'number'],
    ['description', 'Description', 'string', 'textarea'],
    ['hs_sku', 'SKU', 'string', 'text'],
    ['recurringbillingfrequency', 'Billing frequency', 'enumeration', 'select', { options: BILLING_FREQUENCY }],
    ['hs_recurring_billing_period', 'Term', 'string', 'text'],
    ['hs_cost_of_goods_sold', 'Unit cost', 'number', 'number'],
    [
      'hs_product_type',
      'Product type',
      'enumeration',
      'select',
      {
        options: opts([
          ['inventory', 'Inventory'],
          ['non_inventory', 'Non-inventory'],
          ['service', 'Service'],
        ]),
      },
    ],
    ['createdate', 'Create Date', 'datetime', 'date', readOnly],
  ],
  notes: [
    ['hs_note_body', 'Note body', 'string', 'html'],
    ['hs_timestamp', 'Activity date', 'datetime', 'date'],
    ['hs_attachment_ids', 'Attachment IDs', 'enumeration', 'checkbox'],
  ],
};

/** The line item properties HubSpot fills from the product when `hs_product_id` is set. */
export const PRODUCT_FIELDS_COPIED_TO_LINE_ITEMS = [
  'name',
  'price',
  'hs_sku',
  'description',
  'recurringbillingfrequency',
  'hs_recurring_billing_period',
] as const;

/** HubSpot's default property group of each object type. */
export const DEFAULT_GROUPS: Record<ObjectType, SimPropertyGroup[]> = {
  deals: [{ name: 'dealinformation', label: 'Deal information', displayOrder: 0, archived: false }],
  companies: [{ name: 'companyinformation', label: 'Company information', displayOrder: 0, archived: false }],
  contacts: [{ name: 'contactinformation', label: 'Contact information', displayOrder: 0, archived: false }],
  line_items: [{ name: 'lineiteminformation', label: 'Line item information', displayOrder: 0, archived: false }],
  products: [{ name: 'productinformation', label: 'Product information', displayOrder: 0, archived: false }],
  notes: [{ name: 'engagement', label: 'Engagement', displayOrder: 0, archived: false }],
};

export function standardProperties(type: ObjectType, createdAt: string): SimProperty[] {
  const group = DEFAULT_GROUPS[type][0]!.name;
  const specs =
    type === 'notes' ? [...COMMON.filter(([n]) => n !== 'hubspot_owner_id'), ...STANDARD.notes] : [...COMMON, ...STANDARD[type]];
  return specs.map(([name, label, propType, fieldType, extra], i) => ({
    name,
    label,
    type: propType,
    fieldType,
    groupName: group,
    description: '',
    options: [],
    displayOrder: i,
    hidden: false,
    formField: false,
    hasUniqueValue: false,
    calculated: false,
    externalOptions: false,
    hubspotDefined: true,
    readOnlyValue: false,
    createdAt,
    updatedAt: createdAt,
    archived: false,
    ...extra,
  }));
}

/** Properties returned when a read names none (HubSpot's defaults per object). */
export const DEFAULT_READ_PROPERTIES: Record<ObjectType, string[]> = {
  deals: ['dealname', 'amount', 'closedate', 'pipeline', 'dealstage', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  companies: ['name', 'domain', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  contacts: ['firstname', 'lastname', 'email', 'createdate', 'lastmodifieddate', 'hs_object_id'],
  line_items: ['name', 'price', 'quantity', 'hs_product_id', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  products: ['name', 'price', 'description', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  notes: ['hs_note_body', 'hs_timestamp', 'hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** Always returned, whatever was asked for. */
export const ALWAYS_RETURNED = ['hs_object_id', 'hs_createdate', 'hs_lastmodifieddate'];

interface AssociationTypeSpec {
  /** The unlabelled (default) type id, from `from` to `to`. */
  defaultTypeId: number;
  /** Other HUBSPOT_DEFINED ids valid for the pair (e.g. Primary). */
  otherTypeIds?: number[];
}

const PAIRS: [ObjectType, ObjectType, AssociationTypeSpec, AssociationTypeSpec][] = [
  ['deals', 'companies', { defaultTypeId: 341, otherTypeIds: [5] }, { defaultTypeId: 342, otherTypeIds: [6] }],
  ['deals', 'contacts', { defaultTypeId: 3 }, { defaultTypeId: 4 }],
  ['contacts', 'companies', { defaultTypeId: 279, otherTypeIds: [1] }, { defaultTypeId: 280, otherTypeIds: [2] }],
  ['deals', 'line_items', { defaultTypeId: 19 }, { defaultTypeId: 20 }],
  ['notes', 'deals', { defaultTypeId: 214 }, { defaultTypeId: 213 }],
  ['notes', 'companies', { defaultTypeId: 190 }, { defaultTypeId: 189 }],
  ['notes', 'contacts', { defaultTypeId: 202 }, { defaultTypeId: 201 }],
  ['deals', 'deals', { defaultTypeId: 451 }, { defaultTypeId: 451 }],
  ['companies', 'companies', { defaultTypeId: 450 }, { defaultTypeId: 450 }],
  ['contacts', 'contacts', { defaultTypeId: 449 }, { defaultTypeId: 449 }],
];

const ASSOCIATION_TYPES = new Map<string, AssociationTypeSpec>();
for (const [a, b, forward, backward] of PAIRS) {
  ASSOCIATION_TYPES.set(`${a}->${b}`, forward);
  ASSOCIATION_TYPES.set(`${b}->${a}`, backward);
}

export function associationTypes(from: ObjectType, to: ObjectType): AssociationTypeSpec | undefined {
  return ASSOCIATION_TYPES.get(`${from}->${to}`);
}

/** The type id HubSpot uses in the other direction (341 deal→company ↔ 342 company→deal). */
export function inverseTypeId(from: ObjectType, to: ObjectType, typeId: number): number | undefined {
  const forward = associationTypes(from, to);
  const backward = associationTypes(to, from);
  if (!forward || !backward) return undefined;
  if (typeId === forward.defaultTypeId) return backward.defaultTypeId;
  const index = forward.otherTypeIds?.indexOf(typeId) ?? -1;
  return index >= 0 ? backward.otherTypeIds?.[index] : undefined;
}
