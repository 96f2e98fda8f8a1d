import { describe, expect, it } from 'vitest';
import { DEAL, GROUP, propertyCatalog, PROPERTY_GROUPS } from '../../src/core/catalog.js';
import type { PropertyInfo } from '../../src/core/hubspot/api.js';
import { planSetup, setupCatalog, type ExistingSchema } from '../../src/core/settings/setup.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';

/** The portal after a complete setup: every group and property exactly as the catalog says. */
function installed(entities = DEMO_ENTITIES): ExistingSchema {
  const schema: ExistingSchema = { groups: {}, properties: {} };
  for (const g of PROPERTY_GROUPS) (schema.groups[g.objectType] ??= []).push({ name: g.name, label: g.label });
  for (const p of propertyCatalog(entities)) {
    (schema.properties[p.objectType] ??= []).push({
      name: p.name,
      label: p.label,
      type: p.type,
      fieldType: p.fieldType,
      groupName: p.groupName,
      description: p.description,
      options: (p.options ?? []).map((o, i) => ({ ...o, hidden: false, displayOrder: i })),
      hasUniqueValue: p.hasUniqueValue ?? false,
    });
  }
  return schema;
}

function dealProperty(schema: ExistingSchema, name: string): PropertyInfo {
  return schema.properties.deals!.find((p) => p.name === name)!;
}

describe('planSetup', () => {
  it('creates every group and property on an empty portal', () => {
    const plan = planSetup({ groups: {}, properties: {} }, setupCatalog(DEMO_ENTITIES));
    const groups = plan.actions.filter((a) => a.kind === 'createGroup');
    const properties = plan.actions.filter((a) => a.kind === 'createProperty');
    expect(groups).toHaveLength(PROPERTY_GROUPS.length);
    expect(properties).toHaveLength(propertyCatalog(DEMO_ENTITIES).length);
    expect(groups.map((a) => a.kind === 'createGroup' && `${a.group.objectType}.${a.group.name}`)).toContain(
      `companies.${GROUP.customFields}`,
    );
  });

  it('plans nothing for a portal that already matches', () => {
    const plan = planSetup(installed(), setupCatalog(DEMO_ENTITIES));
    expect(plan.actions).toEqual([]);
    expect(plan.conflicts).toEqual([]);
  });

  it('updates a changed label but ignores the order of options', () => {
    const schema = installed();
    dealProperty(schema, DEAL.validation).label = 'Renamed by admin';
    dealProperty(schema, DEAL.dealType).options.reverse();
    const plan = planSetup(schema, setupCatalog(DEMO_ENTITIES));
    expect(plan.actions).toEqual([expect.objectContaining({ kind: 'updateProperty', changes: ['label'] })]);
  });

  it('adds a new entity option and keeps the option of an entity no longer configured', () => {
    const [first, second] = DEMO_ENTITIES;
    const schema = installed([first!]);
    schema.properties.deals = schema.properties.deals!.filter((p) => p.name === DEAL.entity);
    dealProperty(schema, DEAL.entity).options.push({ value: 'retired-entity', label: 'Old GmbH', hidden: false, displayOrder: 9 });
    const wanted = {
      groups: [],
      properties: propertyCatalog([first!, second!]).filter((p) => p.objectType === 'deals' && p.name === DEAL.entity),
    };
    const plan = planSetup(schema, wanted);
    const update = plan.actions[0];
    expect(update?.kind).toBe('updateProperty');
    expect(update?.kind === 'updateProperty' && update.property.options?.map((o) => o.value)).toEqual([
      first!.id,
      second!.id,
      'retired-entity',
    ]);
    expect(plan.notes.join('\n')).toContain('Old GmbH');
  });

  it('reports a property with another type as a conflict and plans no write for it', () => {
    const schema = installed();
    Object.assign(dealProperty(schema, DEAL.balance), { type: 'string', fieldType: 'text', label: 'Balance (admin)' });
    const plan = planSetup(schema, setupCatalog(DEMO_ENTITIES));
    expect(plan.actions).toEqual([]);
    expect(plan.conflicts).toEqual([{ item: `deals.${DEAL.balance}`, message: expect.stringContaining('type "string"') }]);
  });

  it('reports an owner property without unique values as a conflict (HubSpot cannot make it unique later)', () => {
    const schema = installed();
    dealProperty(schema, DEAL.ownedContractId).hasUniqueValue = false;
    const plan = planSetup(schema, setupCatalog(DEMO_ENTITIES));
    expect(plan.actions).toEqual([]);
    expect(plan.conflicts).toEqual([{ item: `deals.${DEAL.ownedContractId}`, message: expect.stringContaining('unique values') }]);
  });
});
