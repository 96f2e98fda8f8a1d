/** Card action "Sync now": pushes the record's whole current state to its billwerk customer. */
import { z } from 'zod';
import { billwerkConfigSchema } from '../core/config.js';
import { billwerkEnvironmentOf } from '../core/billwerk/environment.js';
import { syncCustomer } from '../core/customer/syncCustomer.js';
import { hubspotIdSchema, privateFunction } from './runtime.js';

export const syncCustomerInput = z.object({
  objectType: z.enum(['companies', 'contacts']),
  objectId: hubspotIdSchema('record'),
});

export const main = privateFunction(
  syncCustomerInput,
  (input, services) =>
    syncCustomer(services, { ...input, environment: billwerkEnvironmentOf(services.config(billwerkConfigSchema).BILLWERK_BASE_URL) }),
  { name: 'sync_customer' },
);
