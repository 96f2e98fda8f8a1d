/**
 * Cards keep their own copy of property names and option values (they cannot import src/core); every
 * name and value must exist in the catalog, so a renamed property breaks this test, not a live card.
 */
import { describe, expect, it } from 'vitest';
import * as cardProperties from '../../src/app/cards/shared/properties.js';
import { HUBSPOT_STANDARD, propertyCatalog } from '../../src/core/catalog.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';

const catalog = propertyCatalog(DEMO_ENTITIES);
const standard = new Set<string>(Object.values(HUBSPOT_STANDARD).flat());
const known = new Set([...catalog.map((p) => p.name), ...standard]);
const optionValues = new Set(catalog.flatMap((p) => p.options?.map((o) => o.value) ?? []));

/** `*_VALUES` exports hold option values; every other object export holds property names. */
const exported = Object.entries(cardProperties as Record<string, unknown>);
const valuesOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : Object.values(value as object)).filter((v): v is string => typeof v === 'string');
const nameGroups = exported.filter(([name, value]) => !name.endsWith('_VALUES') && typeof value === 'object' && value !== null);
const valueGroups = exported.filter(([name]) => name.endsWith('_VALUES'));

describe('card property names', () => {
  it('exports the deal card names', () => {
    expect(nameGroups.map(([name]) => name)).toContain('DEAL_PROPERTIES');
    expect(valueGroups.map(([name]) => name)).toEqual(
      expect.arrayContaining(['DEAL_TYPE_VALUES', 'VALIDATION_VALUES', 'APPLY_CHANGE_VALUES']),
    );
  });

  for (const [group, value] of nameGroups) {
    it(`${group}: every property exists in the catalog or is a HubSpot standard property`, () => {
      expect(valuesOf(value).filter((name) => !known.has(name))).toEqual([]);
    });
  }

  for (const [group, value] of valueGroups) {
    it(`${group}: every option value exists in the catalog`, () => {
      expect(valuesOf(value).filter((v) => !optionValues.has(v))).toEqual([]);
    });
  }
});
