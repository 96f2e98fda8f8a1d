import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { HubSpotApi } from '../../src/core/hubspot/api.js';
import { HubSpotApiError } from '../../src/core/hubspot/errors.js';
import { propertyDocument } from '../../src/core/propertyDocument.js';

const doc = propertyDocument({
  objectType: 'deals',
  name: 'billwerk_test_state',
  label: 'test state',
  prefix: 'Test state (do not edit): ',
  schema: z.object({ cursor: z.string() }),
  empty: () => ({ cursor: '0' }),
});

/** Records which property calls were made; `createProperty` answers as `create` says. */
function fakeHubSpot(create: () => Promise<unknown>) {
  const calls: string[] = [];
  const hubspot = {
    createProperty: async () => (calls.push('create'), create()),
    updateProperty: async () => (calls.push('update'), {}),
  } as unknown as HubSpotApi;
  return { hubspot, calls };
}

describe('a JSON document in a property description', () => {
  it('reads back what it wrote; anything else reads as the empty document', () => {
    expect(doc.parse(doc.definition({ cursor: '42' }).description)).toEqual({ cursor: '42' });
    expect(doc.parse(undefined)).toEqual({ cursor: '0' });
    expect(doc.parse('edited by someone')).toEqual({ cursor: '0' });
    expect(doc.parse('Test state (do not edit): {"cursor": 7}')).toEqual({ cursor: '0' });
    expect(doc.parse('Test state (do not edit): {not json')).toEqual({ cursor: '0' });
  });

  it('creates the property on the first save and updates it once it exists', async () => {
    const first = fakeHubSpot(async () => ({}));
    await doc.save(first.hubspot, { cursor: '1' }, false);
    await doc.save(first.hubspot, { cursor: '2' }, true);
    expect(first.calls).toEqual(['create', 'update']);
  });

  it('a first save that meets a property created meanwhile (409) updates it instead of failing', async () => {
    const raced = fakeHubSpot(async () => {
      throw new HubSpotApiError(409, 'Property already exists');
    });
    await doc.save(raced.hubspot, { cursor: '1' }, false);
    expect(raced.calls).toEqual(['create', 'update']);
    const refused = fakeHubSpot(async () => {
      throw new HubSpotApiError(400, 'bad');
    });
    await expect(doc.save(refused.hubspot, { cursor: '1' }, false)).rejects.toThrow('bad');
  });
});
