/**
 * The up/downgrade flow of the apply protocol (applyProtocol.ts): commits the up/downgrade order on the
 * origin deal's contract, then hands the contract over (ownership rule: the deal with
 * billwerk_contract_id = X and billwerk_contract_synced = true owns contract X). The origin is released
 * (synced = false, unique owner value cleared) in parallel with the note; this deal takes contract id,
 * synced = true and the owner value in the protocol's last write, once the origin let go (HubSpot
 * refuses two holders of a unique value).
 */
import { DEAL, DEAL_TYPE } from '../catalog.js';
import type { Deps } from '../deps.js';
import type { CrmRecord } from '../hubspot/api.js';
import { toUpgradeOrder } from '../mappers/toBillwerkOrder.js';
import { changedOnly, toReleasedOwnershipProperties } from '../mappers/toDealProperties.js';
import { fail, succeed } from '../result.js';
import type { ApplyFlow, Gathered } from './applyProtocol.js';
import { loadOpenContract, readOrigin, upgradeChangeDate } from './origin.js';
import { DEAL_PROPERTIES, readDealContextOf } from './readDealContext.js';
import { checkDealBasics, checkUpgradeItems, checkUpgradeOrigin, dealEntityId, describeDeal, type DealCheckOptions } from './rules.js';

interface UpgradeGathered extends Gathered {
  origin: CrmRecord | undefined;
}

export function upgradeFlow(deps: Deps, options: DealCheckOptions): ApplyFlow<UpgradeGathered> {
  return {
    words: {
      running: 'executing the up/downgrade',
      done: (contractId) => `billwerk executed the up/downgrade on contract ${contractId}`,
      applied: (a) => `billwerk executed the up/downgrade on contract ${a.contractId} (order ${a.orderId})`,
    },
    async gather(deps, first) {
      const [current, ctx, origin] = await Promise.all([
        deps.hubspot.getObject('deals', first.id, DEAL_PROPERTIES),
        readDealContextOf(deps, first),
        readOrigin(deps, first),
      ]);
      return { ctx: { ...ctx, deal: { ...current, associations: first.associations } }, origin };
    },
    check: ({ ctx, origin }) => {
      if (ctx.lineItemsHash !== ctx.deal.properties[DEAL.validatedLineItemsHash]) {
        return [
          {
            record: describeDeal(ctx.deal),
            field: 'Line items',
            message: 'The validation is older than the last change of the line items. Request validation again.',
          },
        ];
      }
      return [
        ...checkDealBasics(ctx, options, [DEAL_TYPE.upgrade]),
        ...checkUpgradeItems(ctx.deal, ctx.lineItems),
        ...checkUpgradeOrigin(ctx.deal, origin, options),
      ];
    },
    api: (deal) => deps.billwerk.forEntity(dealEntityId(deal, options.entities)),
    async order(deps, { ctx, origin }, api) {
      const changeDate = upgradeChangeDate(ctx.deal, deps.now());
      const contract = await loadOpenContract(api, origin!, changeDate);
      if (!contract.ok) return fail(...contract.problems);
      return succeed(await api.createOrder(toUpgradeOrder({ contractId: contract.value.Id, items: ctx.lineItems, changeDate })));
    },
    afterCommit(deps, { origin }) {
      if (!origin) return [];
      // The origin keeps billwerk_upgrade_deal_id = this deal: its card links to the deal that now follows the contract.
      const changes = changedOnly(origin, toReleasedOwnershipProperties());
      if (Object.keys(changes).length === 0) return [];
      return [
        {
          step: 'origin',
          doing: `hand the contract over from the origin deal ${origin.id}`,
          service: 'HubSpot',
          run: () => deps.hubspot.updateObject('deals', origin.id, changes),
        },
      ];
    },
    companyLink: (_g, applied) => ({ billwerk_customer_id: applied.customerId }),
    linkOnlyUnlinked: true,
    note: ({ origin }, a) =>
      `billwerk: Up/downgrade executed on contract ${a.contractId} (order ${a.orderId}). This deal now follows the contract${origin ? `; the origin deal ${origin.id} no longer does` : ''}.`,
  };
}
