/**
 * Up/downgrade words (pure): what the preview says will change (plan variant, component quantities,
 * amount now). Whether the change is allowed at all: deal/rules.ts.
 */
import { ITEM_TYPE } from '../catalog.js';
import type { Contract, OrderPreview } from '../billwerk/schemas.js';
import type { DealLineItem } from './toBillwerkItem.js';
import { formatDay, formatMoney, toPreviewFigures } from './toValidationResult.js';

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
  lines.push(
    `Amount charged for the change (prorated): ${formatMoney(f.firstInvoiceTotal, f.currency)}; next billing date: ${formatDay(f.nextBillingDate)}.`,
  );
  if (input.paymentTermSet) lines.push('The payment term is ignored for up/downgrades; the contract keeps its term of payment.');
  return lines.join('\n');
}
