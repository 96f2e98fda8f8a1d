/** Card action "Request validation": checks the deal and previews its order in billwerk. */
import { z } from 'zod';
import { billwerkConfigSchema } from '../core/config.js';
import { billwerkEnvironmentOf } from '../core/billwerk/environment.js';
import { validateDeal } from '../core/deal/validateDeal.js';
import { hubspotIdSchema, privateFunction } from './runtime.js';

export const dealInput = z.object({
  dealId: hubspotIdSchema('deal'),
});

export const main = privateFunction(
  dealInput,
  (input, services) =>
    validateDeal(services, {
      dealId: input.dealId,
      environment: billwerkEnvironmentOf(services.config(billwerkConfigSchema).BILLWERK_BASE_URL),
    }),
  { name: 'validate_deal' },
);
