/**
 * The one apply protocol of "Apply change in billwerk", for signups (applySignup.ts) and up/downgrades
 * (executeUpgrade.ts): claim → gather → order → commit → (payment term | origin release), company,
 * contact and timeline note in parallel → deal write-back → release. docs/deal-flow.md "One apply protocol".
 *
 * - Claim: a HubSpot-enforced lease per deal (../lock.ts). Exactly one caller runs; the others answer
 *   that the change is running (with the contract id once billwerk has it) or done. Always released,
 *   also when the caller fails; a killed process's lease lapses after CLAIM_TTL_MS.
 * - Gather reads the deal again after the claim: a run that finished just before ours is seen.
 * - The order id is stored on the deal before the commit: a retry commits (or finds committed) that
 *   order instead of ordering again. An order whose id cannot be stored, or that billwerk rejects at
 *   the commit, is deleted in billwerk: no orphans.
 * - After the commit every write is idempotent (changed values only; the note is looked for on the
 *   timeline when an earlier attempt got that far) and recorded in billwerk_apply_progress; the deal's
 *   "Change applied" with the contract id is written last, so "Already applied" means every step is done.
 * - Errors say which service failed and what state the deal is in (applyProblems.ts).
 */
import { randomUUID } from 'node:crypto';
import { APPLY_CHANGE, COMPANY, CONTACT, DEAL } from '../catalog.js';
import type { BillwerkEntityApi } from '../billwerk/api.js';
import type { Contract, Order } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import type { CrmRecord, CrmRecordWithAssociations } from '../hubspot/api.js';
import { acquireLease, releaseLease, type LeaseHolder } from '../lock.js';
import { billwerkStatus, isBillwerkRejection } from '../mappers/toBillwerkProblem.js';
import {
  changedOnly,
  parseProgress,
  toAppliedDealProperties,
  toApplyFailedProperties,
  toOrderedDealProperties,
  type AppliedContract,
  type ApplyProgress,
  type ApplyStep,
} from '../mappers/toDealProperties.js';
import { toProblemLine } from '../mappers/toValidationResult.js';
import { fail, succeed, type Outcome, type Problem } from '../result.js';
import { toApplyProblem, toPendingProblem, type FlowWords } from './applyProblems.js';
import { DEAL_PROPERTIES, type DealContext } from './readDealContext.js';
import { checkReadyToApply, describeDeal } from './rules.js';

/** Longer than any run can last (a function stops after 10 s), short enough for a rep to wait out. */
export const CLAIM_TTL_MS = 30_000;

export interface ApplyDealResult {
  contractId: string;
  customerId: string;
  /** True when the deal already had its contract: nothing was created. */
  alreadyApplied: boolean;
}

export interface Gathered {
  /** `ctx.deal` is the deal as read after the claim. */
  ctx: DealContext;
}

export interface AfterCommitStep {
  step: ApplyStep;
  /** What it does, for the error: "set the payment term", "release the origin deal". */
  doing: string;
  service: 'billwerk' | 'HubSpot';
  run: () => Promise<unknown>;
}

/** What differs between a signup and an up/downgrade; the protocol does the rest. */
export interface ApplyFlow<G extends Gathered> {
  words: FlowWords;
  /** Reads after the claim: the deal again, its records, and what the flow needs (mappings, origin). */
  gather(deps: Deps, deal: CrmRecordWithAssociations): Promise<G>;
  /** Why a fresh start (no order yet) may not go on: stale validation, prerequisites. */
  check(gathered: G): Problem[];
  api(deal: CrmRecord): BillwerkEntityApi;
  /** A new order, or the problems that forbid one (nothing changed). */
  order(deps: Deps, gathered: G, api: BillwerkEntityApi): Promise<Outcome<Order>>;
  /** Flow-specific writes after the commit; they run in parallel with the links and the note. */
  afterCommit(deps: Deps, gathered: G, api: BillwerkEntityApi, contract: Contract): AfterCommitStep[];
  /** What the company should hold afterwards (the contact gets the customer id). */
  companyLink(gathered: G, applied: AppliedContract): Record<string, string>;
  /** Up/downgrades link company and contact only where no customer is set yet. */
  linkOnlyUnlinked: boolean;
  note(gathered: G, applied: AppliedContract): string;
}

/** Every step done: the deal has its contract and says "Change applied". */
export function appliedResult(deal: CrmRecord): ApplyDealResult | undefined {
  const contractId = deal.properties[DEAL.contractId]?.trim();
  if (!contractId || deal.properties[DEAL.applyChange] !== APPLY_CHANGE.applied) return undefined;
  return { contractId, customerId: deal.properties[DEAL.customerId]?.trim() ?? '', alreadyApplied: true };
}

export async function runApply<G extends Gathered>(
  deps: Deps,
  deal: CrmRecordWithAssociations,
  flow: ApplyFlow<G>,
): Promise<Outcome<ApplyDealResult>> {
  const done = appliedResult(deal);
  if (done) return succeed(done);
  const refusal = checkReadyToApply(deal);
  if (refusal.length) return fail(...refusal);

  let claim;
  try {
    claim = await acquireLease(deps.hubspot, `deal-apply:${deal.id}`, { holder: randomUUID(), ttlMs: CLAIM_TTL_MS, now: deps.now() });
  } catch (error) {
    return failed(deps, deal, flow.words, error, { stage: 'before' });
  }
  if (!claim.acquired) return answerBusy(deps, deal, flow, claim.heldBy);
  const lease = claim.lease;
  try {
    return await applyClaimed(deps, deal, flow);
  } finally {
    await releaseLease(deps.hubspot, lease).catch((error: unknown) => {
      deps.logger.warn('apply claim not released; it lapses by itself', {
        dealId: deal.id,
        lapsesAt: lease.expiresAt.toISOString(),
        error: messageOf(error),
      });
    });
  }
}

async function applyClaimed<G extends Gathered>(
  deps: Deps,
  first: CrmRecordWithAssociations,
  flow: ApplyFlow<G>,
): Promise<Outcome<ApplyDealResult>> {
  let gathered: G;
  try {
    gathered = await flow.gather(deps, first);
  } catch (error) {
    return failed(deps, first, flow.words, error, { stage: 'before', doing: 'read the deal and its records' });
  }
  const deal = gathered.ctx.deal;
  const finished = appliedResult(deal);
  if (finished) return succeed(finished); // another apply finished while we waited for the claim
  let progress = parseProgress(deal.properties[DEAL.applyProgress]);
  const api = flow.api(deal);

  // Order: the one an earlier attempt stored, or a new one (then its id is stored before the commit).
  let order: Order | undefined;
  const storedOrderId = deal.properties[DEAL.orderId]?.trim();
  try {
    if (storedOrderId) {
      // An order withdrawn in billwerk (404) or one billwerk gave up is not used: a new one is created.
      const stored = await api.getOrder(storedOrderId).catch((error: unknown) => {
        if (billwerkStatus(error) === 404) return undefined;
        throw error;
      });
      if (stored && !DEAD_ORDER.has(stored.Status ?? '')) order = stored;
    }
  } catch (error) {
    return failed(deps, deal, flow.words, error, { stage: 'before', doing: `read order ${storedOrderId}` });
  }
  const resumed = order?.Status === 'Completed';
  if (!order) {
    const problems = flow.check(gathered);
    if (problems.length) return refuse(deps, deal, problems);
    let created: Outcome<Order>;
    try {
      created = await flow.order(deps, gathered, api);
    } catch (error) {
      return failed(deps, deal, flow.words, error, { stage: 'before', doing: 'create the order' });
    }
    if (!created.ok) return refuse(deps, deal, created.problems);
    order = created.value;
    progress = { orderId: order.Id, done: ['order'] };
    try {
      await deps.hubspot.updateObject('deals', deal.id, toOrderedDealProperties(order.Id, order.CustomerId ?? undefined));
    } catch (error) {
      // The write may have landed with its answer lost: the deal forgets the id, so no retry looks for this order.
      const withdrawn = await deleteOrder(deps, api, order.Id, deal.id);
      return failed(deps, deal, flow.words, error, {
        stage: withdrawn ? 'before' : 'ordered',
        orderId: order.Id,
        doing: 'store the order id on the deal',
        forgetOrder: true,
      });
    }
  }

  let contract: Contract;
  try {
    contract = await commitOnce(api, order);
  } catch (error) {
    if (!isBillwerkRejection(error)) return failed(deps, deal, flow.words, error, { stage: 'ordered', orderId: order.Id });
    // billwerk said no: this order will never be committed. Withdraw it; the next click orders anew.
    const withdrawn = await deleteOrder(deps, api, order.Id, deal.id);
    return failed(deps, deal, flow.words, error, {
      stage: withdrawn ? 'before' : 'ordered',
      orderId: order.Id,
      doing: 'commit the order',
      forgetOrder: withdrawn,
    });
  }
  const applied: AppliedContract = { contractId: contract.Id, customerId: contract.CustomerId, orderId: order.Id };
  return finish(
    deps,
    gathered,
    flow,
    api,
    contract,
    applied,
    { ...progress, ...applied, done: [...progress.done, 'order', 'commit'] },
    resumed,
  );
}

/** After the commit: independent writes in parallel, then the deal, which says "Change applied" only if all worked. */
async function finish<G extends Gathered>(
  deps: Deps,
  gathered: G,
  flow: ApplyFlow<G>,
  api: BillwerkEntityApi,
  contract: Contract,
  applied: AppliedContract,
  progress: ApplyProgress,
  resumed: boolean,
): Promise<Outcome<ApplyDealResult>> {
  const { ctx } = gathered;
  const deal = ctx.deal;
  const steps: AfterCommitStep[] = [
    ...flow.afterCommit(deps, gathered, api, contract),
    linkStep(
      deps,
      'company',
      'companies',
      ctx.company,
      flow.companyLink(gathered, applied),
      flow.linkOnlyUnlinked ? COMPANY.customerId : undefined,
    ),
    linkStep(
      deps,
      'contact',
      'contacts',
      ctx.contact,
      { [CONTACT.customerId]: applied.customerId },
      flow.linkOnlyUnlinked ? CONTACT.customerId : undefined,
    ),
    {
      step: 'note',
      doing: 'add the note to the deal timeline',
      service: 'HubSpot',
      // An earlier attempt that got past the commit may have written the note before it failed.
      run: async () =>
        (resumed && (await hasNote(deps, deal.id, applied.orderId))) ||
        deps.hubspot.createNote(flow.note(gathered, applied), { type: 'deals', id: deal.id }),
    } satisfies AfterCommitStep,
  ].filter((s) => !progress.done.includes(s.step));
  const results = await Promise.allSettled(steps.map((s) => s.run()));
  const done = [...progress.done, ...steps.filter((_, i) => results[i]!.status === 'fulfilled').map((s) => s.step)];
  const pending = steps.flatMap((s, i) => {
    const result = results[i]!;
    return result.status === 'rejected' ? [{ ...s, error: result.reason as unknown }] : [];
  });

  if (pending.length === 0) {
    try {
      await deps.hubspot.updateObject('deals', deal.id, toAppliedDealProperties(applied, done));
    } catch (error) {
      // If the write landed after all, "Change failed" must not sit beside the contract id ("applied" on the card).
      return failed(deps, deal, flow.words, error, {
        stage: 'committed',
        applied,
        progress: { ...progress, done },
        doing: 'record the contract on the deal',
        unrecord: true,
      });
    }
    deps.logger.info('change applied in billwerk', { dealId: deal.id, ...applied });
    return succeed({ contractId: applied.contractId, customerId: applied.customerId, alreadyApplied: false });
  }
  for (const p of pending)
    deps.logger.warn('apply step failed after the commit', { dealId: deal.id, step: p.step, ...applied, error: messageOf(p.error) });
  const problem = toPendingProblem(flow.words, describeDeal(deal), applied, pending);
  await writeFailure(deps, deal.id, problem.message, { ...progress, done });
  return fail(problem);
}

function linkStep(
  deps: Deps,
  step: 'company' | 'contact',
  type: 'companies' | 'contacts',
  record: CrmRecord | undefined,
  wanted: Record<string, string>,
  onlyWhenEmpty: string | undefined,
): AfterCommitStep {
  const changes = record && !(onlyWhenEmpty && record.properties[onlyWhenEmpty]?.trim()) ? changedOnly(record, wanted) : {};
  return {
    step,
    doing: `link the ${step} to the billwerk customer`,
    service: 'HubSpot',
    run: async () => (record && Object.keys(changes).length ? deps.hubspot.updateObject(type, record.id, changes) : undefined),
  };
}

/** The timeline already has this order's note (an earlier attempt wrote it and then failed). */
async function hasNote(deps: Deps, dealId: string, orderId: string): Promise<boolean> {
  const ids = await deps.hubspot.listAssociations('deals', dealId, 'notes');
  if (ids.length === 0) return false;
  const notes = await deps.hubspot.batchRead('notes', ids, ['hs_note_body']);
  return notes.some((n) => n.properties.hs_note_body?.includes(`(order ${orderId})`));
}

/** An order that an earlier attempt already committed is not committed again. */
export async function commitOnce(api: BillwerkEntityApi, order: Order): Promise<Contract> {
  if (order.ContractId && order.Status === 'Completed') return api.getContract(order.ContractId);
  return api.commitOrder(order.Id);
}

/** Orders billwerk will not commit any more: the next attempt orders anew. */
const DEAD_ORDER = new Set(['Aborted', 'Declined', 'Expired', 'Failed']);

/** True when the order is gone; false when it could not be deleted (logged: it stays uncommitted in billwerk). */
async function deleteOrder(deps: Deps, api: BillwerkEntityApi, orderId: string, dealId: string): Promise<boolean> {
  try {
    await api.deleteOrder(orderId);
    return true;
  } catch (error) {
    deps.logger.warn('uncommitted order could not be deleted in billwerk', { dealId, orderId, error: messageOf(error) });
    return false;
  }
}

/** The claim is held by another apply: say what it has done so far. */
async function answerBusy<G extends Gathered>(
  deps: Deps,
  deal: CrmRecord,
  flow: ApplyFlow<G>,
  heldBy: LeaseHolder,
): Promise<Outcome<ApplyDealResult>> {
  const started = new Date(heldBy.expiresAt.getTime() - CLAIM_TTL_MS).toISOString().slice(11, 19);
  let contractId: string | undefined;
  try {
    const current = await deps.hubspot.getObject('deals', deal.id, DEAL_PROPERTIES);
    const done = appliedResult(current);
    if (done) return succeed(done);
    const orderId = current.properties[DEAL.orderId]?.trim();
    const order = orderId ? await flow.api(current).getOrder(orderId) : undefined;
    if (order?.Status === 'Completed') contractId = order.ContractId ?? undefined;
  } catch (error) {
    deps.logger.info('state of a running apply could not be read', { dealId: deal.id, error: messageOf(error) });
  }
  const message = contractId
    ? `${flow.words.done(contractId)} by another click on Apply (started ${started} UTC), which is now linking the HubSpot records. Refresh in a moment; nothing is created twice.`
    : `Another click on Apply (started ${started} UTC) is ${flow.words.running} in billwerk right now. Refresh in a moment; nothing is created twice.`;
  return fail({ record: describeDeal(deal), message });
}

async function refuse(deps: Deps, deal: CrmRecord, problems: Problem[]): Promise<Outcome<never>> {
  await writeFailure(deps, deal.id, problems.map(toProblemLine).join('\n'));
  return fail(...problems);
}

interface FailureState {
  stage: 'before' | 'ordered' | 'committed';
  doing?: string;
  orderId?: string;
  applied?: AppliedContract;
  progress?: ApplyProgress;
  /** The order was withdrawn: the deal forgets its id so the next click orders anew. */
  forgetOrder?: boolean;
  /** The contract write-back failed: take back whatever of it may have landed. */
  unrecord?: boolean;
}

/** Logs with context, writes the truthful reason onto the deal (best effort: HubSpot may be the one failing), answers it. */
async function failed(deps: Deps, deal: CrmRecord, words: FlowWords, error: unknown, state: FailureState): Promise<Outcome<never>> {
  const problem = toApplyProblem(error, words, describeDeal(deal), state);
  deps.logger.warn('apply failed', {
    dealId: deal.id,
    stage: state.stage,
    orderId: state.orderId,
    ...state.applied,
    error: messageOf(error),
  });
  await writeFailure(deps, deal.id, problem.message, state.progress, {
    ...(state.forgetOrder ? { [DEAL.orderId]: '' } : {}),
    ...(state.unrecord ? { [DEAL.contractId]: '', [DEAL.ownedContractId]: '', [DEAL.contractSynced]: '' } : {}),
  });
  return fail(problem);
}

async function writeFailure(
  deps: Deps,
  dealId: string,
  message: string,
  progress?: ApplyProgress,
  extra: Record<string, string> = {},
): Promise<void> {
  await deps.hubspot.updateObject('deals', dealId, { ...toApplyFailedProperties(message, progress), ...extra }).catch((error: unknown) => {
    deps.logger.warn('apply failure could not be written onto the deal', { dealId, error: messageOf(error) });
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
