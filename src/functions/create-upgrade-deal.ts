/** Card action "Create up/downgrade deal" on a deal that owns a billwerk contract. */
import { createUpgradeDeal } from '../core/deal/createUpgradeDeal.js';
import { privateFunction } from './runtime.js';
import { dealInput } from './validate-deal.js';

export const main = privateFunction(dealInput, (input, services) => createUpgradeDeal(services, { dealId: input.dealId }), {
  name: 'create_upgrade_deal',
});
