import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GROUP } from '../../src/core/catalog.js';
import {
  contractCustomFieldsFrom,
  customerCustomFieldsFrom,
  dealPropertiesFromContract,
  mappingKey,
  mappingProblems,
  parseMappingKey,
  type CustomFieldMapping,
} from '../../src/core/settings/mappings.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';

const [root, sub] = DEMO_ENTITIES as [(typeof DEMO_ENTITIES)[0], (typeof DEMO_ENTITIES)[0]];
const mappings: CustomFieldMapping[] = [
  { entityId: root.id, object: 'deal', hubspotProperty: 'po_number', billwerkField: 'PurchaseOrder' },
  { entityId: root.id, object: 'company', hubspotProperty: 'cost_center', billwerkField: 'CostCenter' },
  { entityId: sub.id, object: 'deal', hubspotProperty: 'po_number', billwerkField: 'Bestellnummer' },
];

describe('mapping keys', () => {
  it('round-trip any field name, including separators', () => {
    // Reserved JavaScript names are refused on purpose (test/security/inputValidation.test.ts).
    const reserved = new Set(['__proto__', 'constructor', 'prototype']);
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 60 })
          .filter((s) => s.trim() === s && s.trim() !== '' && !/[\u0000-\u001f]/.test(s) && !reserved.has(s)),
        (field) => {
          const m: CustomFieldMapping = { entityId: root.id, object: 'company', hubspotProperty: 'x_y', billwerkField: field };
          expect(parseMappingKey(mappingKey(m))).toEqual(m);
        },
      ),
    );
  });

  it('ignore options that are not mappings', () => {
    expect(parseMappingKey('format:1')).toBeUndefined();
    expect(parseMappingKey('m1|a|robot|b|c')).toBeUndefined();
  });
});

describe('applying mappings', () => {
  const deal = { id: '1', properties: { po_number: 'PO-77', dealname: 'x' } };

  it('sends the deal value under the field name of the deal entity', () => {
    expect(contractCustomFieldsFrom(deal, mappings, root.id)).toEqual({ PurchaseOrder: 'PO-77' });
    expect(contractCustomFieldsFrom(deal, mappings, sub.id)).toEqual({ Bestellnummer: 'PO-77' });
  });

  it('does not send empty HubSpot values', () => {
    expect(customerCustomFieldsFrom({ id: '2', properties: { cost_center: '  ' } }, mappings, root.id)).toEqual({});
  });

  it('writes contract fields back to deal properties, leaving fields billwerk does not send alone', () => {
    expect(dealPropertiesFromContract({ CustomFields: { PurchaseOrder: 42 } }, mappings, root.id)).toEqual({ po_number: '42' });
    expect(dealPropertiesFromContract({ CustomFields: { PurchaseOrder: null } }, mappings, root.id)).toEqual({ po_number: '' });
    expect(dealPropertiesFromContract({ CustomFields: { Other: 'x' } }, mappings, root.id)).toEqual({});
    expect(dealPropertiesFromContract({}, mappings, root.id)).toEqual({});
  });
});

describe('mappingProblems', () => {
  const context = {
    entities: DEMO_ENTITIES,
    customFieldProperties: [
      { name: 'po_number', label: 'PO number', groupName: GROUP.customFields },
      { name: 'po_2', label: 'PO 2', groupName: GROUP.customFields },
    ],
  };

  it('accepts a new mapping of a property in the custom fields group', () => {
    expect(
      mappingProblems({ entityId: root.id, object: 'deal', hubspotProperty: 'po_2', billwerkField: 'Other' }, mappings, context),
    ).toEqual([]);
  });

  it('names the field for an unknown entity, a property outside the group and duplicates', () => {
    const problems = mappingProblems(
      { entityId: 'nope', object: 'deal', hubspotProperty: 'dealname', billwerkField: 'X' },
      mappings,
      context,
    );
    expect(problems.map((p) => p.field)).toEqual(['Entity', 'HubSpot property']);
    const dup = mappingProblems(
      { entityId: root.id, object: 'deal', hubspotProperty: 'po_2', billwerkField: 'PurchaseOrder' },
      mappings,
      context,
    );
    expect(dup).toEqual([expect.objectContaining({ field: 'billwerk custom field', message: expect.stringContaining('po_number') })]);
  });
});
