/**
 * A small JSON document kept in the description of one connector-owned property (the product sync's
 * run state and recorded catalog changes, the reconciliation sweep's state). HubSpot is the only storage
 * the connector has: one GET reads it, one PATCH writes it, and no record shows up for reps. The
 * properties are not in the setup catalog, so setup never overwrites them; the first save creates them.
 */
import type { z } from 'zod';
import { GROUP, type CrmObjectType, type PropertyDefinition } from './catalog.js';
import type { HubSpotApi } from './hubspot/api.js';
import { HubSpotApiError } from './hubspot/errors.js';

export interface PropertyDocument<T> {
  readonly objectType: CrmObjectType;
  readonly name: string;
  definition(value: T): PropertyDefinition;
  /** A missing or unreadable document reads as the empty one ("never ran", "nothing recorded"). */
  parse(description: string | null | undefined): T;
  /** Stores `value`; creates the property when it did not exist, and updates one created meanwhile (409). */
  save(hubspot: HubSpotApi, value: T, exists: boolean): Promise<void>;
}

export function propertyDocument<S extends z.ZodType>(spec: {
  objectType: CrmObjectType;
  name: string;
  label: string;
  /** Said to whoever opens the property in HubSpot; also marks the description as ours. */
  prefix: string;
  schema: S;
  empty: () => z.output<S>;
}): PropertyDocument<z.output<S>> {
  const definition = (value: z.output<S>): PropertyDefinition => ({
    objectType: spec.objectType,
    name: spec.name,
    label: spec.label,
    description: spec.prefix + JSON.stringify(value),
    groupName: GROUP.billwerk,
    type: 'string',
    fieldType: 'text',
    connectorOwned: true,
  });
  return {
    objectType: spec.objectType,
    name: spec.name,
    definition,
    parse(description) {
      if (!description?.startsWith(spec.prefix)) return spec.empty();
      try {
        const parsed = spec.schema.safeParse(JSON.parse(description.slice(spec.prefix.length)));
        return parsed.success ? parsed.data : spec.empty();
      } catch {
        return spec.empty();
      }
    },
    async save(hubspot, value, exists) {
      const def = definition(value);
      if (exists) {
        await hubspot.updateProperty(def);
        return;
      }
      try {
        await hubspot.createProperty(def);
      } catch (error) {
        // Created meanwhile (a concurrent first save, or an earlier answer was lost): it exists, so update it.
        if (!(error instanceof HubSpotApiError && error.status === 409)) throw error;
        await hubspot.updateProperty(def);
      }
    },
  };
}
