/**
 * Card-called functions take only what they can use: numeric HubSpot ids, bounded strings, values
 * from the catalog (entities, dispatch modes), no custom field names that JavaScript objects treat
 * specially. Refused input names the field and reaches neither billwerk nor HubSpot.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addMapping, customFieldMappingSchema } from '../../src/core/settings/mappings.js';
import { main as applyDealMain } from '../../src/functions/apply-deal.js';
import { main as refreshContractMain } from '../../src/functions/refresh-contract.js';
import { main as saveMappingsMain } from '../../src/functions/save-mappings.js';
import { main as setEntityMain } from '../../src/functions/set-entity.js';
import { main as syncCustomerMain } from '../../src/functions/sync-customer.js';
import { main as updateDispatchModeMain } from '../../src/functions/update-dispatch-mode.js';
import { main as validateDealMain } from '../../src/functions/validate-deal.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';

const ctx = useSimulators();
const ENTITY = DEMO_ENTITIES[0]!.id;
const calls = () => ({ billwerk: ctx.billwerk.simulator.calls.length, hubspot: ctx.hubspot.simulator.calls.length });

beforeEach(() => {
  ctx.billwerk.simulator.resetCalls();
  ctx.hubspot.simulator.resetCalls();
});

interface Reply {
  ok: boolean;
  problems?: { record?: string; field?: string; message: string }[];
}

describe('record ids', () => {
  const notIds = ['', ' ', '12a', '-1', '1.5', '1e3', '../deals/1', '1/associations', '1?archived=true', '1'.repeat(21), '１２３'];

  it.each([
    ['validate-deal', validateDealMain, 'dealId', {}],
    ['apply-deal', applyDealMain, 'dealId', {}],
    ['refresh-contract', refreshContractMain, 'dealId', {}],
    ['sync-customer', syncCustomerMain, 'objectId', { objectType: 'companies' }],
    ['set-entity', setEntityMain, 'objectId', { objectType: 'companies', entityId: ENTITY }],
    ['update-dispatch-mode', updateDispatchModeMain, 'companyId', { mode: 'Email' }],
  ] as const)('%s refuses anything but a HubSpot id in %s, before any call', async (_name, main, field, rest) => {
    for (const id of notIds) {
      const reply = (await ctx.runFunction(main as never, { parameters: { ...rest, [field]: id } })) as Reply;
      expect(reply.ok, `id ${JSON.stringify(id)}`).toBe(false);
      expect(reply.problems?.map((p) => p.field)).toContain(field);
    }
    expect(calls()).toEqual({ billwerk: 0, hubspot: 0 });
  });

  it('accepts ids as numbers or strings (cards send either)', async () => {
    const company = ctx.hubspot.seeded!.companies[0]!;
    for (const objectId of [company.id, Number(company.id)]) {
      const reply = (await ctx.runFunction(syncCustomerMain, { parameters: { objectType: 'companies', objectId } })) as Reply;
      expect(reply.problems?.some((p) => p.field === 'objectId') ?? false).toBe(false);
    }
  });
});

describe('catalog values', () => {
  it('an object type outside companies/contacts is refused', async () => {
    const reply = (await ctx.runFunction(syncCustomerMain, { parameters: { objectType: 'deals', objectId: '1' } })) as Reply;
    expect(reply).toMatchObject({ ok: false, problems: [{ field: 'objectType' }] });
  });

  it('a dispatch mode billwerk does not know is refused; long free text is refused', async () => {
    const company = ctx.hubspot.seeded!.companies[0]!.id;
    const mode = (await ctx.runFunction(updateDispatchModeMain, { parameters: { companyId: company, mode: 'Fax' } })) as Reply;
    const long = (await ctx.runFunction(updateDispatchModeMain, {
      parameters: { companyId: company, mode: 'Email', buyerReference: 'x'.repeat(201) },
    })) as Reply;
    expect(mode).toMatchObject({ ok: false, problems: [{ field: 'mode' }] });
    expect(long).toMatchObject({ ok: false, problems: [{ field: 'buyerReference' }] });
    expect(calls()).toEqual({ billwerk: 0, hubspot: 0 });
  });

  it('an entity that is not configured is refused by name, and nothing is written', async () => {
    const company = ctx.hubspot.seeded!.companies[0]!.id;
    const unknown = (await ctx.runFunction(setEntityMain, {
      parameters: { objectType: 'companies', objectId: company, entityId: '64a0000000000000000000ff' },
    })) as Reply;
    const long = (await ctx.runFunction(setEntityMain, {
      parameters: { objectType: 'companies', objectId: company, entityId: 'e'.repeat(65) },
    })) as Reply;
    expect(unknown).toMatchObject({ ok: false, problems: [{ field: 'Entity' }] });
    expect(long).toMatchObject({ ok: false, problems: [{ field: 'entityId' }] });
    expect(ctx.hubspotWrites()).toBe(0);
  });
});

describe('custom field mappings', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses the billwerk field name %s with a clear message', async (billwerkField) => {
    const reply = (await ctx.runFunction(saveMappingsMain, {
      parameters: { action: 'add', mapping: { entityId: ENTITY, object: 'company', hubspotProperty: 'industry', billwerkField } },
    })) as Reply;
    expect(reply).toMatchObject({ ok: false, problems: [{ field: 'mapping.billwerkField', message: expect.stringMatching(/reserved/) }] });
    expect(ctx.hubspotWrites()).toBe(0);
  });

  it('a stored mapping to a reserved name (edited in HubSpot by hand) is not loaded', () => {
    expect(
      customFieldMappingSchema.safeParse({ entityId: ENTITY, object: 'deal', hubspotProperty: 'amount', billwerkField: '__proto__' })
        .success,
    ).toBe(false);
    expect(
      customFieldMappingSchema.safeParse({ entityId: ENTITY, object: 'deal', hubspotProperty: 'amount', billwerkField: 'proto' }).success,
    ).toBe(true);
  });

  it('a mapping for an entity that is not configured is refused', async () => {
    const outcome = await addMapping(
      { hubspot: ctx.deps().hubspot, entities: DEMO_ENTITIES },
      { entityId: 'not-configured', object: 'company', hubspotProperty: 'industry', billwerkField: 'Industry' },
    );
    expect(outcome).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([expect.objectContaining({ field: 'Entity', message: expect.stringContaining('not-configured') })]),
    });
  });
});

describe('parameters that are no object', () => {
  it('a parameters array or a __proto__ key does not reach the handler', async () => {
    const asArray = (await ctx.runFunction(validateDealMain, { parameters: ['1'] })) as Reply;
    const polluted = (await ctx.runFunction(validateDealMain, {
      parameters: JSON.parse('{"__proto__": {"dealId": "1"}}') as unknown,
    })) as Reply;
    expect(asArray).toMatchObject({ ok: false, problems: [{ field: 'dealId', message: 'is missing' }] });
    expect(polluted).toMatchObject({ ok: false, problems: [{ field: 'dealId' }] });
    expect(({} as Record<string, unknown>).dealId).toBeUndefined();
  });
});
