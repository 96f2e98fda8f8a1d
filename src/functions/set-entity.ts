/** Card action: set the billwerk entity of a company or contact (company and contact must share it). */
import { z } from 'zod';
import { setRecordEntity } from '../core/customer/setRecordEntity.js';
import { hubspotIdSchema, privateFunction } from './runtime.js';

export const setEntityInput = z.object({
  objectType: z.enum(['companies', 'contacts']),
  objectId: hubspotIdSchema('record'),
  // Checked against BILLWERK_ENTITIES by the use-case; bounded here so no long text reaches it.
  entityId: z.string().trim().min(1).max(64),
  includeAssociated: z.boolean().optional(),
});

export const main = privateFunction(setEntityInput, (input, services) => setRecordEntity(services, input), { name: 'set_entity' });
