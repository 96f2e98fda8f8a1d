/**
 * Validation of an Upgrade deal: the origin deal must own a billwerk contract of the same entity that
 * has not ended; then billwerk previews the up/downgrade order on that contract (change date = the
 * deal's start date, or now) and the summary says what changes. The payment term is ignored.
 * Calls: HubSpot 4 reads + 1 origin read + 1 write; billwerk 1 contract read + 1 preview.
 */
import { DEAL, DEAL_TYPE } from '../catalog.js';
import type { Contract } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import { toUpgradeOrder } from '../mappers/toBillwerkOrder.js';
import { localized } from '../mappers/toProductProperties.js';
import { toBillwerkProblem } from '../mappers/toBillwerkProblem.js';
import { toUpgradeSummary } from '../mappers/toUpgradeSummary.js';
import { toValidatedProperties } from '../mappers/toValidationResult.js';
import { succeed, type Outcome } from '../result.js';
import { loadOpenContract, readOrigin, upgradeChangeDate } from './origin.js';
import type { DealContext } from './readDealContext.js';
import { checkDealBasics, checkUpgradeItems, checkUpgradeOrigin, dealEntityId, describeDeal, type DealCheckOptions } from './rules.js';
import { writeValidationFailure, type ValidateDealResult } from './validationResult.js';

export async function validateUpgrade(deps: Deps, ctx: DealContext, options: DealCheckOptions): Promise<Outcome<ValidateDealResult>> {
  const origin = await readOrigin(deps, ctx.deal);
  const problems = [
    ...checkDealBasics(ctx, options, [DEAL_TYPE.upgrade]),
    ...checkUpgradeItems(ctx.deal, ctx.lineItems),
    ...checkUpgradeOrigin(ctx.deal, origin, options),
  ];
  if (problems.length) return writeValidationFailure(deps, ctx.deal, problems);

  const api = deps.billwerk.forEntity(dealEntityId(ctx.deal, options.entities));
  const changeDate = upgradeChangeDate(ctx.deal, deps.now());
  const contract = await loadOpenContract(api, origin!, changeDate);
  if (!contract.ok) return writeValidationFailure(deps, ctx.deal, contract.problems);

  // The current plan variant's name (read alongside the preview) lets the summary say what changes in words.
  const currentName = currentPlanVariantName(api, contract.value);
  let preview;
  try {
    preview = await api.previewOrder(toUpgradeOrder({ contractId: contract.value.Id, items: ctx.lineItems, changeDate }));
  } catch (error) {
    await currentName;
    return writeValidationFailure(deps, ctx.deal, [toBillwerkProblem(error, 'preview the up/downgrade', describeDeal(ctx.deal))]);
  }
  const summary = toUpgradeSummary({
    contract: contract.value,
    items: ctx.lineItems,
    preview,
    changeDate,
    paymentTermSet: Boolean(ctx.deal.properties[DEAL.paymentTermDays]?.trim()),
    currentPlanVariantName: await currentName,
  });
  await deps.hubspot.updateObject('deals', ctx.deal.id, toValidatedProperties(summary, ctx.lineItemsHash, deps.now()));
  return succeed({ message: `Successfully validated\n${summary}` });
}

/** The plan variant's name, or undefined when billwerk cannot say (the summary then shows its id). */
async function currentPlanVariantName(api: ReturnType<Deps['billwerk']['forEntity']>, contract: Contract): Promise<string | undefined> {
  if (!contract.PlanVariantId) return undefined;
  try {
    const variant = await api.getPlanVariant(contract.PlanVariantId);
    return localized(variant.Description) || variant.InternalName || undefined;
  } catch {
    return undefined;
  }
}
