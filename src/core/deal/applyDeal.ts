/**
 * "Apply change in billwerk": the signup flow (applySignup.ts) or the up/downgrade flow
 * (executeUpgrade.ts), both run by the one apply protocol (applyProtocol.ts).
 */
import { DEAL_TYPE } from '../catalog.js';
import type { Deps } from '../deps.js';
import type { BillwerkEnvironment } from '../billwerk/environment.js';
import type { Outcome } from '../result.js';
import { runApply, type ApplyDealResult } from './applyProtocol.js';
import { signupFlow } from './applySignup.js';
import { upgradeFlow } from './executeUpgrade.js';
import { readDeal } from './readDealContext.js';
import { dealTypeOf, type DealCheckOptions } from './rules.js';

export interface ApplyDealInput {
  dealId: string;
  environment: BillwerkEnvironment;
}

export async function applyDeal(deps: Deps, input: ApplyDealInput): Promise<Outcome<ApplyDealResult>> {
  const deal = await readDeal(deps, input.dealId);
  const options: DealCheckOptions = { environment: input.environment, entities: deps.billwerk.entities };
  return dealTypeOf(deal) === DEAL_TYPE.upgrade
    ? runApply(deps, deal, upgradeFlow(deps, options))
    : runApply(deps, deal, signupFlow(deps, options));
}

export type { ApplyDealResult };
