/**
 * A billwerk custom field name is checked before a mapping is saved: billwerk's API-name format, and
 * whether the entity's customers (company mappings) or contracts (deal mappings) hold it. An unknown
 * field is saved only with an explicit confirmation, and then flagged for the mappings list.
 */
import { describe, expect, it } from 'vitest';
import { GROUP } from '../../src/core/catalog.js';
import {
  addMapping,
  loadMappings,
  MAPPING_STORE,
  UNKNOWN_BILLWERK_FIELD,
  type CustomFieldMapping,
} from '../../src/core/settings/mappings.js';
import { main as saveMappings } from '../../src/functions/save-mappings.js';
import { main as settingsStatus } from '../../src/functions/settings-status.js';
import { UNKNOWN_BILLWERK_FIELD as PAGE_UNKNOWN_FIELD } from '../../src/app/settings/types.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';

const root = DEMO_ENTITIES[0]!;

describe('billwerk custom field check', () => {
  const ctx = useSimulators({ seed: true, installCatalog: true });
  const deps = () => ({ hubspot: ctx.deps().hubspot, entities: DEMO_ENTITIES, billwerk: ctx.deps().billwerk });
  const property = (type: 'deals' | 'companies', name: string) =>
    ctx.hubspot.store.createProperty(type, { name, label: name, type: 'string', fieldType: 'text', groupName: GROUP.customFields });
  const storedValues = () => ctx.hubspot.store.property('deals', MAPPING_STORE.name)?.options.map((o) => o.value) ?? [];

  it('the settings page knows the confirmation problem by the same words as the core', () => {
    expect(PAGE_UNKNOWN_FIELD).toBe(UNKNOWN_BILLWERK_FIELD);
  });

  it('refuses a name that is no billwerk API name, saying the rule, and writes nothing', async () => {
    property('deals', 'po_number');
    const writes = ctx.hubspotWrites();
    const outcome = await addMapping(
      deps(),
      { entityId: root.id, object: 'deal', hubspotProperty: 'po_number', billwerkField: 'PO Number' },
      { confirmUnknownField: true },
    );
    expect(outcome).toEqual({
      ok: false,
      problems: [
        expect.objectContaining({
          field: 'billwerk custom field',
          message: expect.stringContaining('starts with a letter or an underscore'),
        }),
      ],
    });
    expect(ctx.hubspotWrites()).toBe(writes);
  });

  it('a field no contract of the entity holds needs a confirmation, then is saved flagged', async () => {
    property('deals', 'po_number');
    const mapping: CustomFieldMapping = { entityId: root.id, object: 'deal', hubspotProperty: 'po_number', billwerkField: 'PurchaseOrder' };
    const writes = ctx.hubspotWrites();

    const refused = await addMapping(deps(), mapping);
    expect(refused).toEqual({
      ok: false,
      problems: [
        expect.objectContaining({
          field: UNKNOWN_BILLWERK_FIELD,
          message: expect.stringContaining('holds a custom field "PurchaseOrder"'),
        }),
      ],
    });
    expect(ctx.hubspotWrites()).toBe(writes);
    expect(await loadMappings(ctx.deps().hubspot)).toEqual([]);

    const confirmed = await addMapping(deps(), mapping, { confirmUnknownField: true });
    expect(confirmed).toEqual({ ok: true, value: [{ ...mapping, unverified: true }] });
    expect(await loadMappings(ctx.deps().hubspot)).toEqual([{ ...mapping, unverified: true }]);
    expect(storedValues().some((v) => v.endsWith('|unverified'))).toBe(true);
  });

  it('a field billwerk holds on a contract of the entity is saved at once, unflagged', async () => {
    property('deals', 'po_number');
    const seed = ctx.billwerk.seeded![root.id]!;
    ctx.billwerk.store.addContract(
      { CustomerId: seed.customers.plain.Id, PlanVariantId: seed.planVariants.starterMonthly.Id, CustomFields: { PurchaseOrder: 'PO-1' } },
      root.id,
    );
    const mapping: CustomFieldMapping = { entityId: root.id, object: 'deal', hubspotProperty: 'po_number', billwerkField: 'PurchaseOrder' };
    expect(await addMapping(deps(), mapping)).toEqual({ ok: true, value: [mapping] });
  });

  it('names the spelling billwerk holds when only the case differs', async () => {
    property('companies', 'cost_center');
    ctx.billwerk.store.addCustomer({ CompanyName: 'Fields GmbH', CustomFields: { CostCenter: 'K-1' } }, root.id);
    const outcome = await addMapping(deps(), {
      entityId: root.id,
      object: 'company',
      hubspotProperty: 'cost_center',
      billwerkField: 'costcenter',
    });
    expect(outcome).toMatchObject({
      ok: false,
      problems: [{ field: UNKNOWN_BILLWERK_FIELD, message: expect.stringContaining('hold "CostCenter", not "costcenter"') }],
    });
  });

  it('through the function: refused, then saved with confirmUnknownField, and the status lists it flagged', async () => {
    property('companies', 'cost_center');
    const mapping = { entityId: root.id, object: 'company', hubspotProperty: 'cost_center', billwerkField: 'CostCenter' };
    const refused = await ctx.runFunction(saveMappings, { parameters: { action: 'add', mapping } });
    expect(refused).toMatchObject({ ok: false, problems: [{ field: PAGE_UNKNOWN_FIELD }] });
    const saved = await ctx.runFunction(saveMappings, { parameters: { action: 'add', mapping, confirmUnknownField: true } });
    expect(saved).toEqual({ ok: true, value: [{ ...mapping, unverified: true }] });
    expect(await ctx.runFunction(settingsStatus)).toMatchObject({ ok: true, value: { mappings: [{ ...mapping, unverified: true }] } });
    // Removing needs no flag: the page sends the mapping as listed.
    expect(await ctx.runFunction(saveMappings, { parameters: { action: 'remove', mapping } })).toEqual({ ok: true, value: [] });
  });
});
