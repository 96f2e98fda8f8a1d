import { describe, expect, it } from 'vitest';
import { GROUP } from '../../src/core/catalog.js';
import { addMapping, loadMappings, MAPPING_STORE, removeMapping, type CustomFieldMapping } from '../../src/core/settings/mappings.js';
import { main as saveMappings } from '../../src/functions/save-mappings.js';
import { main as settingsStatus } from '../../src/functions/settings-status.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';

const [root, sub] = DEMO_ENTITIES as [(typeof DEMO_ENTITIES)[0], (typeof DEMO_ENTITIES)[0]];

describe('custom field mappings stored in HubSpot', () => {
  const ctx = useSimulators({ seed: true, installCatalog: true });

  function customProperty(type: 'deals' | 'companies', name: string, groupName: string = GROUP.customFields) {
    ctx.hubspot.store.createProperty(type, { name, label: name.replace(/_/g, ' '), type: 'string', fieldType: 'text', groupName });
  }

  it('round-trips add and remove through the store property', async () => {
    customProperty('deals', 'po_number');
    customProperty('companies', 'cost_center');
    const deps = { hubspot: ctx.deps().hubspot, entities: DEMO_ENTITIES };
    const dealMapping: CustomFieldMapping = {
      entityId: sub.id,
      object: 'deal',
      hubspotProperty: 'po_number',
      billwerkField: 'Bestell_nummer',
    };
    const companyMapping: CustomFieldMapping = {
      entityId: root.id,
      object: 'company',
      hubspotProperty: 'cost_center',
      billwerkField: 'CostCenter',
    };

    expect(await loadMappings(deps.hubspot)).toEqual([]);
    expect(await addMapping(deps, dealMapping)).toEqual({ ok: true, value: [dealMapping] });
    expect(await addMapping(deps, companyMapping)).toEqual({ ok: true, value: [dealMapping, companyMapping] });
    expect(await loadMappings(deps.hubspot)).toEqual([dealMapping, companyMapping]);

    const writes = ctx.hubspotWrites();
    await addMapping(deps, dealMapping);
    expect(ctx.hubspotWrites()).toBe(writes);

    expect(await removeMapping(deps, dealMapping)).toEqual({ ok: true, value: [companyMapping] });
    expect(await loadMappings(deps.hubspot)).toEqual([companyMapping]);
    expect(await removeMapping(deps, companyMapping)).toEqual({ ok: true, value: [] });
    expect(await loadMappings(deps.hubspot)).toEqual([]);
    expect(ctx.hubspot.store.property('deals', MAPPING_STORE.name)?.options.map((o) => o.value)).toEqual([
      MAPPING_STORE.formatOption.value,
    ]);
  });

  it('refuses a property outside the custom fields group and writes nothing', async () => {
    customProperty('deals', 'loose_field', 'dealinformation');
    const writes = ctx.hubspotWrites();
    const outcome = await addMapping(
      { hubspot: ctx.deps().hubspot, entities: DEMO_ENTITIES },
      { entityId: root.id, object: 'deal', hubspotProperty: 'loose_field', billwerkField: 'X' },
    );
    expect(outcome).toEqual({
      ok: false,
      problems: [expect.objectContaining({ field: 'HubSpot property', message: expect.stringContaining('Billwerk custom fields sync') })],
    });
    expect(ctx.hubspotWrites()).toBe(writes);
  });

  it('works through the settings functions, and the status lists mappings and mappable properties', async () => {
    customProperty('companies', 'cost_center');
    // billwerk already holds the field on a customer of the entity, so no confirmation is needed.
    ctx.billwerk.store.addCustomer({ CompanyName: 'Fields GmbH', CustomFields: { CostCenter: 'K-100' } }, root.id);
    const mapping = { entityId: root.id, object: 'company', hubspotProperty: 'cost_center', billwerkField: 'CostCenter' };
    expect(await ctx.runFunction(saveMappings, { parameters: { action: 'add', mapping } })).toEqual({ ok: true, value: [mapping] });
    const status = await ctx.runFunction(settingsStatus);
    expect(status).toMatchObject({
      ok: true,
      value: {
        billwerk: { environment: 'sandbox' },
        setup: { state: 'done', conflicts: [] },
        mappings: [mapping],
        customFieldProperties: { deal: [], company: [{ name: 'cost_center', label: 'cost center', type: 'string' }] },
      },
    });
    expect(await ctx.runFunction(saveMappings, { parameters: { action: 'remove', mapping } })).toEqual({ ok: true, value: [] });
  });

  it('names the field of a malformed request', async () => {
    const reply = await ctx.runFunction(saveMappings, {
      parameters: { action: 'add', mapping: { entityId: root.id, object: 'deal', hubspotProperty: 'po_number', billwerkField: ' ' } },
    });
    expect(reply).toEqual({ ok: false, problems: [expect.objectContaining({ field: 'mapping.billwerkField' })] });
  });
});

describe('mappings before setup', () => {
  const ctx = useSimulators({ seed: false, installCatalog: false });

  it('asks to run setup first', async () => {
    ctx.hubspot.store.createGroup('deals', { name: GROUP.customFields, label: 'Billwerk custom fields sync' });
    ctx.hubspot.store.createProperty('deals', {
      name: 'po_number',
      label: 'PO',
      type: 'string',
      fieldType: 'text',
      groupName: GROUP.customFields,
    });
    const outcome = await addMapping(
      { hubspot: ctx.deps().hubspot, entities: DEMO_ENTITIES },
      { entityId: root.id, object: 'deal', hubspotProperty: 'po_number', billwerkField: 'PO' },
    );
    expect(outcome).toEqual({ ok: false, problems: [{ message: expect.stringContaining('Run setup first') }] });
  });
});
