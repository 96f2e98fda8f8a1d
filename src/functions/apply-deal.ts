/** Card action "Apply change in billwerk": creates the contract (signup) or executes the up/downgrade. */
import { billwerkConfigSchema } from '../core/config.js';
import { billwerkEnvironmentOf } from '../core/billwerk/environment.js';
import { applyDeal } from '../core/deal/applyDeal.js';
import { privateFunction } from './runtime.js';
import { dealInput } from './validate-deal.js';

export const main = privateFunction(
  dealInput,
  (input, services) =>
    applyDeal(services, {
      dealId: input.dealId,
      environment: billwerkEnvironmentOf(services.config(billwerkConfigSchema).BILLWERK_BASE_URL),
    }),
  { name: 'apply_deal' },
);
