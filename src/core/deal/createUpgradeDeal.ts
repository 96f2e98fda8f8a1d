/**
 * "Create up/downgrade deal" on a deal that owns a billwerk contract: a new deal named
 * `Up- / Downgrade deal for <origin deal name>`, deal type Upgrade, pointing at the origin deal,
 * associated with the same company and contact(s), in the same entity. Repeated clicks reuse the
 * open one (its id is kept on the origin deal as billwerk_upgrade_deal_id) instead of piling up.
 * HubSpot calls: 1 read of the origin (+1 to check a remembered up/downgrade deal), 1 create, 1 write.
 * billwerk (new deals only): contract, plan variant + components, plan — the contract before the change.
 */
import { APPLY_CHANGE, DEAL, DEAL_TYPE } from '../catalog.js';
import type { Deps } from '../deps.js';
import type { CrmRecord } from '../hubspot/api.js';
import { toContractSnapshot } from '../mappers/toContractSnapshot.js';
import { describeDeal } from './rules.js';
import { fail, succeed, type Outcome } from '../result.js';
import { DEAL_PROPERTIES } from './readDealContext.js';

export interface CreateUpgradeDealResult {
  dealId: string;
  dealName: string;
  /** An open up/downgrade deal existed and is returned instead of a new one. */
  reused: boolean;
}

export function upgradeDealName(originName: string | null | undefined, originId: string): string {
  return `Up- / Downgrade deal for ${originName?.trim() || `deal ${originId}`}`;
}

export async function createUpgradeDeal(deps: Deps, input: { dealId: string }): Promise<Outcome<CreateUpgradeDealResult>> {
  const origin = await deps.hubspot.getObject('deals', input.dealId, DEAL_PROPERTIES, ['companies', 'contacts']);
  const record = describeDeal(origin);
  const contractId = origin.properties[DEAL.contractId]?.trim();
  if (!contractId) {
    return fail({
      record,
      field: 'billwerk contract id',
      message: 'This deal has no billwerk contract yet. Apply the signup first; up/downgrades change an existing contract.',
    });
  }
  if (origin.properties[DEAL.contractSynced] !== 'true') {
    return fail({
      record,
      field: 'Synced with billwerk contract',
      message: `Contract ${contractId} is now followed by a later up/downgrade deal. Create the next up/downgrade from that deal.`,
    });
  }

  const open = await openUpgradeDeal(deps, origin);
  if (open) return succeed({ dealId: open.id, dealName: open.properties.dealname ?? '', reused: true });

  const dealName = upgradeDealName(origin.properties.dealname, origin.id);
  const before = await contractBefore(deps, origin, contractId);
  const pipeline = origin.properties.pipeline?.trim() || 'default';
  const created = await deps.hubspot.createObject(
    'deals',
    {
      dealname: dealName,
      pipeline,
      // The first stage of HubSpot's default pipeline; other pipelines get HubSpot's default stage.
      ...(pipeline === 'default' ? { dealstage: 'appointmentscheduled' } : {}),
      ...(origin.properties.deal_currency_code ? { deal_currency_code: origin.properties.deal_currency_code } : {}),
      [DEAL.dealType]: DEAL_TYPE.upgrade,
      [DEAL.originDealId]: origin.id,
      ...(origin.properties[DEAL.entity] ? { [DEAL.entity]: origin.properties[DEAL.entity]! } : {}),
      ...(before ? { [DEAL.currentContract]: before } : {}),
    },
    [
      ...(origin.associations.companies ?? []).map((toId) => ({ toType: 'companies' as const, toId })),
      ...(origin.associations.contacts ?? []).map((toId) => ({ toType: 'contacts' as const, toId })),
    ],
  );
  await deps.hubspot.updateObject('deals', origin.id, { [DEAL.upgradeDealId]: created.id });
  deps.logger.info('up/downgrade deal created', { originDealId: origin.id, dealId: created.id });
  return succeed({ dealId: created.id, dealName, reused: false });
}

/**
 * The contract's plan variant and running components, for the rep who picks the changes. Reads
 * billwerk (contract, then variant, plan and components at once); when billwerk fails the deal is
 * created without it (the validation's change summary still names the current state).
 */
async function contractBefore(deps: Deps, origin: CrmRecord, contractId: string): Promise<string | undefined> {
  try {
    const api = deps.billwerk.forEntity(origin.properties[DEAL.entity]?.trim() || undefined);
    const contract = await api.getContract(contractId);
    const variantId = contract.CurrentPhase?.PlanVariantId ?? contract.PlanVariantId;
    const [variant, components] = await Promise.all([
      variantId ? api.getPlanVariant(variantId) : Promise.resolve(undefined),
      api.listComponents(),
    ]);
    const plan = variant?.PlanId ? await api.getPlan(variant.PlanId) : undefined;
    return toContractSnapshot(contract, variant, plan, components);
  } catch (error) {
    deps.logger.warn('contract not read for the up/downgrade deal', {
      dealId: origin.id,
      contractId,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

/** The remembered up/downgrade deal, if it still exists and has not been executed yet. */
async function openUpgradeDeal(deps: Deps, origin: CrmRecord): Promise<CrmRecord | undefined> {
  const id = origin.properties[DEAL.upgradeDealId]?.trim();
  if (!id) return undefined;
  const [deal] = await deps.hubspot.batchRead('deals', [id], ['dealname', 'dealstage', DEAL.applyChange, DEAL.originDealId]);
  if (!deal || deal.properties.dealstage === 'closedlost') return undefined;
  if (deal.properties[DEAL.applyChange] === APPLY_CHANGE.applied) return undefined;
  return deal.properties[DEAL.originDealId] === origin.id ? deal : undefined;
}
