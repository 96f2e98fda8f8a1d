/**
 * The contract as it is before an up/downgrade, in words for the rep (written onto the new
 * up/downgrade deal, shown by its card before line items are picked): the plan variant and the
 * components still running. Pure.
 */
import type { Component, Contract, Plan, PlanVariant } from '../billwerk/schemas.js';
import { localized } from './toProductProperties.js';

export function toContractSnapshot(
  contract: Contract,
  variant: PlanVariant | undefined,
  plan: Plan | undefined,
  components: readonly Component[],
): string {
  const variantName = variant
    ? `${localized(plan?.Name) || variant.PlanId} – ${variant.InternalName?.trim() || localized(variant.Description) || variant.Id}`
    : (contract.PlanVariantId ?? 'unknown');
  const running = (contract.ComponentSubscriptions ?? []).filter((s) => !s.EndDate);
  const names = running.map((s) => {
    const component = components.find((c) => c.Id === s.ComponentId);
    const name = (component && localized(component.Name)) || s.ComponentId;
    return s.Quantity !== undefined && s.Quantity !== null ? `${name} × ${s.Quantity}` : name;
  });
  return `Plan variant: ${variantName}.\nComponents: ${names.length ? names.join(', ') : 'none'}.`;
}
