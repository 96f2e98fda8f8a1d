/**
 * Validation of an Upgrade deal: the origin deal must own a billwerk contract of the same entity that
 * has not ended; then billwerk previews the up/downgrade order on that contract (change date = the
 * deal's start date, or now) and the summary says what changes. The payment term is ignored.
 * Calls: HubSpot 4 reads + 1 origin read + 1 write; billwerk 1 contract read + 1 preview.
 */
import { DEAL, DEAL_TYPE } from '../catalog.js';
import type { Contract } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import type { CrmRecord } from '../hubspot/api.js';
import { toBillwerkDate, toUpgradeOrder } from '../mappers/toBillwerkOrder.js';
import { localized } from '../mappers/toProductProperties.js';
import { toBillwerkProblem } from '../mappers/toBillwerkProblem.js';
import { checkDealBasics, dealEntityId, describeDeal, type DealCheckOptions } from '../mappers/toDealProblems.js';
import { checkContractOpen, checkUpgradeItems, checkUpgradeOrigin, toUpgradeSummary } from '../mappers/toUpgradeSummary.js';
import { toValidatedProperties } from '../mappers/toValidationResult.js';
import { fail, succeed, type Outcome, type Problem } from '../result.js';
import { DEAL_PROPERTIES, type DealContext } from './readDealContext.js';
import { writeValidationFailure, type ValidateDealResult } from './validateDeal.js';

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
    contract: contract.value, items: ctx.lineItems, preview, changeDate, paymentTermSet: Boolean(ctx.deal.properties[DEAL.paymentTermDays]?.trim()),
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

export async function readOrigin(deps: Deps, deal: CrmRecord): Promise<CrmRecord | undefined> {
  const originId = deal.properties[DEAL.originDealId]?.trim();
  if (!originId || !/^\d+$/.test(originId)) return undefined;
  const [origin] = await deps.hubspot.batchRead('deals', [originId], DEAL_PROPERTIES);
  return origin;
}

/** The deal's start date, or now: when the change takes effect in billwerk. */
export function upgradeChangeDate(deal: CrmRecord, now: Date): string {
  return toBillwerkDate(deal.properties[DEAL.startDate]) ?? now.toISOString();
}

export async function loadOpenContract(
  api: ReturnType<Deps['billwerk']['forEntity']>, origin: CrmRecord, at: string,
): Promise<Outcome<Contract>> {
  const contractId = origin.properties[DEAL.contractId]!.trim();
  let contract: Contract;
  try {
    contract = await api.getContract(contractId);
  } catch (error) {
    return fail(toBillwerkProblem(error, `read contract ${contractId}`, describeDeal(origin)));
  }
  const ended: Problem[] = checkContractOpen(contract, new Date(at), describeDeal(origin));
  return ended.length ? fail(...ended) : succeed(contract);
}
