/**
 * The words of a failed apply, pure: which service failed (billwerk or HubSpot) and the state the deal
 * is in (nothing changed / an order waiting for its commit / contract created or change executed, with
 * what is still to do). The next click always resumes; the words say so only when it is true.
 */
import { BillwerkApiError } from '../billwerk/errors.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import { isOutOfTime } from '../http/deadline.js';
import { LeaseError } from '../lock.js';
import { billwerkStatus, isBillwerkRejection } from '../mappers/toBillwerkProblem.js';
import type { AppliedContract } from '../mappers/toDealProperties.js';
import type { Problem } from '../result.js';

export interface FlowWords {
  /** "creating the contract", "executing the up/downgrade". */
  running: string;
  /** "billwerk created contract X", "billwerk executed the up/downgrade on contract X". */
  done(contractId: string): string;
  /** The same with customer and order, for the deal. */
  applied(applied: AppliedContract): string;
}

export type Service = 'billwerk' | 'HubSpot' | 'the connector';

export function serviceOf(error: unknown): Service {
  if (error instanceof HubSpotApiError || error instanceof LeaseError) return 'HubSpot';
  if (error instanceof BillwerkApiError || billwerkStatus(error) !== undefined) return 'billwerk';
  return 'the connector';
}

export function detailOf(error: unknown): string {
  const own = (error as { billwerkMessage?: unknown } | undefined)?.billwerkMessage;
  return typeof own === 'string' && own ? own : error instanceof Error ? error.message : String(error);
}

/** "billwerk rejected the request to X: …" / "HubSpot did not answer in time to X (…)" / "HubSpot could not be reached to X (…)". */
function whatWentWrong(error: unknown, doing: string): string {
  const service = serviceOf(error);
  if (service === 'billwerk' && isBillwerkRejection(error)) return `billwerk rejected the request to ${doing}: ${detailOf(error)}`;
  if (isOutOfTime(error)) return `${service} did not answer in time to ${doing} (${detailOf(error)})`;
  if (error instanceof HubSpotApiError && error.status >= 400 && error.status < 500)
    return `HubSpot refused to ${doing} (${detailOf(error)})`;
  return `${service} could not be reached to ${doing} (${detailOf(error)})`;
}

export interface ProblemState {
  stage: 'before' | 'ordered' | 'committed';
  doing?: string;
  orderId?: string;
  applied?: AppliedContract;
  forgetOrder?: boolean;
}

export function toApplyProblem(error: unknown, words: FlowWords, record: string, state: ProblemState): Problem {
  const doing = state.doing ?? 'start the apply';
  if (state.stage === 'before') {
    const withdrawn = state.orderId ? ` The order ${state.orderId} was withdrawn in billwerk.` : '';
    return { record, message: `${whatWentWrong(error, doing)}.${withdrawn} Nothing was changed; try again.` };
  }
  if (state.stage === 'ordered') {
    if (doing === 'store the order id on the deal') {
      return {
        record,
        message: `${whatWentWrong(error, doing)}, and billwerk could not withdraw order ${state.orderId}: it stays uncommitted in billwerk and bills nothing. No contract was created; try again.`,
      };
    }
    return {
      record,
      message: `billwerk has order ${state.orderId} for this deal but did not confirm its commit: ${whatWentWrong(error, doing === 'start the apply' ? 'commit the order' : doing)}. The contract may exist already; click Apply again to check and finish. Nothing is ordered twice.`,
    };
  }
  return {
    record,
    message: `${words.applied(state.applied!)}, but ${whatWentWrong(error, doing)}. Click Apply again to finish; nothing is created twice.`,
  };
}

/** After the commit some of the parallel steps failed: what is done, what is still to do. */
export function toPendingProblem(
  words: FlowWords,
  record: string,
  applied: AppliedContract,
  pending: readonly { doing: string; error: unknown }[],
): Problem {
  const still = pending.map((p) => whatWentWrong(p.error, p.doing)).join('; ');
  return { record, message: `${words.applied(applied)}. Still to do: ${still}. Click Apply again to finish; nothing is created twice.` };
}
