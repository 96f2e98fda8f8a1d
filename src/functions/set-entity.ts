/** Card action: set the billwerk entity of a company or contact (company and contact must share it). */
import { z } from 'zod';
import { setRecordEntity } from '../core/usecases/setRecordEntity.js';
import { privateFunction } from './runtime.js';

export const setEntityInput = z.object({
  objectType: z.enum(['companies', 'contacts']),
  objectId: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^\d+$/, 'must be a record id')),
  entityId: z.string().trim().min(1),
  includeAssociated: z.boolean().optional(),
});

export const main = privateFunction(setEntityInput, (input, services) => setRecordEntity(services, input), { name: 'set_entity' });
