/** Settings page: add or remove one custom field mapping; replies with every mapping. */
import { z } from 'zod';
import { addMapping, customFieldMappingSchema, removeMapping } from '../core/settings/mappings.js';
import { settingsConfigSchema } from '../core/settings/settingsStatus.js';
import { privateFunction } from './runtime.js';

const inputSchema = z.object({
  action: z.enum(['add', 'remove']),
  mapping: customFieldMappingSchema,
  /** The admin confirmed a billwerk field billwerk does not show ("Save anyway"). */
  confirmUnknownField: z.boolean().optional(),
});

export const main = privateFunction(
  inputSchema,
  async (input, services) => {
    if (input.action === 'remove') return removeMapping(services, input.mapping);
    const config = services.config(settingsConfigSchema);
    return addMapping({ hubspot: services.hubspot, entities: config.BILLWERK_ENTITIES, billwerk: services.billwerk }, input.mapping, {
      confirmUnknownField: input.confirmUnknownField,
    });
  },
  { name: 'save_mappings' },
);
