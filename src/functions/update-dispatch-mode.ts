/** Company card: set the invoice dispatch mode (and the e-invoicing details), then sync the customer. */
import { z } from 'zod';
import { BEARER_MEDIUM, EINVOICING_NETWORK } from '../core/catalog.js';
import { billwerkConfigSchema } from '../core/config.js';
import { billwerkEnvironmentOf } from '../core/billwerk/environment.js';
import { updateDispatchMode } from '../core/customer/updateDispatchMode.js';
import { hubspotIdSchema, privateFunction } from './runtime.js';

export const updateDispatchModeInput = z.object({
  companyId: hubspotIdSchema('record'),
  mode: z
    .enum(Object.values(BEARER_MEDIUM) as [string, ...string[]])
    .transform((v) => v as (typeof BEARER_MEDIUM)[keyof typeof BEARER_MEDIUM]),
  eInvoicingReceiverId: z.string().max(200).optional(),
  eInvoicingNetwork: z
    .union([z.enum(Object.values(EINVOICING_NETWORK) as [string, ...string[]]), z.literal('')])
    .optional()
    .transform((v) => v as (typeof EINVOICING_NETWORK)[keyof typeof EINVOICING_NETWORK] | '' | undefined),
  buyerReference: z.string().max(200).optional(),
});

export const main = privateFunction(
  updateDispatchModeInput,
  (input, services) =>
    updateDispatchMode(services, { ...input, environment: billwerkEnvironmentOf(services.config(billwerkConfigSchema).BILLWERK_BASE_URL) }),
  { name: 'update_dispatch_mode' },
);
