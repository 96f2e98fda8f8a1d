/** The origin deal of an up/downgrade and its contract: read by the validation and by the execution. */
import { DEAL } from '../catalog.js';
import type { BillwerkEntityApi } from '../billwerk/api.js';
import type { Contract } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import type { CrmRecord } from '../hubspot/api.js';
import { toBillwerkDate } from '../mappers/toBillwerkOrder.js';
import { toBillwerkProblem } from '../mappers/toBillwerkProblem.js';
import { fail, succeed, type Outcome } from '../result.js';
import { DEAL_PROPERTIES } from './readDealContext.js';
import { checkContractOpen, describeDeal } from './rules.js';

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

/** The origin's contract, if it has not ended by `at`. */
export async function loadOpenContract(api: BillwerkEntityApi, origin: CrmRecord, at: string): Promise<Outcome<Contract>> {
  const contractId = origin.properties[DEAL.contractId]!.trim();
  let contract: Contract;
  try {
    contract = await api.getContract(contractId);
  } catch (error) {
    return fail(toBillwerkProblem(error, `read contract ${contractId}`, describeDeal(origin)));
  }
  const ended = checkContractOpen(contract, new Date(at), describeDeal(origin));
  return ended.length ? fail(...ended) : succeed(contract);
}
