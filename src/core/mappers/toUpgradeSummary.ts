/**
 * Up/downgrade decisions and words (pure): whether the origin deal's contract may be changed by this
 * deal, and what the preview says will change (plan variant, component quantities, amount now).
 */
import { DEAL, ITEM_TYPE } from '../catalog.js';
import type { Contract, OrderPreview } from '../billwerk/schemas.js';
import type { CrmRecord } from '../hubspot/api.js';
import type { Problem } from '../result.js';
import type { DealLineItem } from './toBillwerkItem.js';
import { dealEntityId, describeDeal, entityName, type DealCheckOptions } from './toDealProblems.js';
import { formatDay, formatMoney, toPreviewFigures } from './toValidationResult.js';

/** Problems of the origin deal itself: missing, without contract, another entity. */
export function checkUpgradeOrigin(deal: CrmRecord, origin: CrmRecord | undefined, options: DealCheckOptions): Problem[] {
  const record = describeDeal(deal);
  if (!deal.properties[DEAL.originDealId]?.trim()) {
    return [{ record, field: 'Origin deal id', message: 'This up/downgrade deal does not name its origin deal. Create it with "Create up/downgrade deal" on the deal that owns the contract.' }];
  }
  if (!origin) return [{ record, field: 'Origin deal id', message: `The origin deal ${deal.properties[DEAL.originDealId]} does not exist (any more).` }];
  if (!origin.properties[DEAL.contractId]?.trim()) {
    return [{ record: describeDeal(origin), field: 'billwerk contract id', message: 'The origin deal has no billwerk contract, so there is nothing to up/downgrade.' }];
  }
  const dealEntity = dealEntityId(deal, options.entities);
  const originEntity = dealEntityId(origin, options.entities);
  if (dealEntity !== originEntity) {
    return [{ record, field: 'Entity', message: `The contract belongs to entity ${entityName(originEntity ?? '', options)}, this deal to ${entityName(dealEntity ?? '', options)}. An up/downgrade stays in the contract's entity.` }];
  }
  return [];
}

/** billwerk says the contract is over (end date reached, or an ended lifecycle). */
export function checkContractOpen(contract: Contract, at: Date, record: string): Problem[] {
  const end = contract.EndDate ? new Date(contract.EndDate) : undefined;
  const ended = (end && !Number.isNaN(end.getTime()) && end.getTime() <= at.getTime()) || /^(ended|terminated|cancelled|annulled)$/i.test(contract.LifecycleStatus ?? '');
  if (!ended) return [];
  return [{ record, field: 'billwerk contract', message: `Contract ${contract.Id} has ended${contract.EndDate ? ` (${formatDay(contract.EndDate)})` : ''}; an ended contract cannot be up/downgraded. Sell a new signup instead.` }];
}

/** An up/downgrade may change the plan variant (at most one) and add components or discounts. */
export function checkUpgradeItems(deal: CrmRecord, items: readonly DealLineItem[]): Problem[] {
  const planVariants = items.filter((i) => i.item.type === ITEM_TYPE.planVariant);
  if (planVariants.length <= 1) return [];
  return [{ record: describeDeal(deal), field: 'Line items', message: `An up/downgrade switches to at most one plan variant; the deal has ${planVariants.length}: ${planVariants.map((p) => `"${p.name}"`).join(', ')}.` }];
}

export interface UpgradeSummaryInput {
  contract: Contract;
  items: readonly DealLineItem[];
  preview: OrderPreview;
  changeDate: string;
  paymentTermSet: boolean;
  /** Name of the contract's current plan variant, when billwerk told us (the id is shown otherwise). */
  currentPlanVariantName?: string;
}

export function toUpgradeSummary(input: UpgradeSummaryInput): string {
  const f = toPreviewFigures(input.preview);
  const lines: string[] = [`Changes contract ${input.contract.Id} on ${formatDay(input.changeDate)}:`];
  const planVariant = input.items.find((i) => i.item.type === ITEM_TYPE.planVariant);
  if (!planVariant) lines.push('• Plan variant: unchanged');
  else if (planVariant.item.id === input.contract.PlanVariantId) lines.push(`• Plan variant: stays "${planVariant.name}"`);
  else {
    const current = input.currentPlanVariantName ? `"${input.currentPlanVariantName}"` : (input.contract.PlanVariantId ?? 'none');
    lines.push(`• Plan variant: ${current} → "${planVariant.name}"`);
  }
  const current = new Map<string, number>();
  for (const sub of input.contract.ComponentSubscriptions ?? []) {
    if (sub.EndDate && new Date(sub.EndDate).getTime() <= new Date(input.changeDate).getTime()) continue;
    current.set(sub.ComponentId, (current.get(sub.ComponentId) ?? 0) + (sub.Quantity ?? 0));
  }
  for (const c of input.items.filter((i) => i.item.type === ITEM_TYPE.component)) {
    const before = current.get(c.item.id) ?? 0;
    lines.push(`• ${c.name}: +${c.quantity} (${before} → ${before + c.quantity})`);
  }
  for (const d of input.items.filter((i) => i.item.type === ITEM_TYPE.discount)) lines.push(`• Discount added: ${d.name}`);
  lines.push(`Amount charged for the change (prorated): ${formatMoney(f.firstInvoiceTotal, f.currency)}; next billing date: ${formatDay(f.nextBillingDate)}.`);
  if (input.paymentTermSet) lines.push('The payment term is ignored for up/downgrades; the contract keeps its term of payment.');
  return lines.join('\n');
}
