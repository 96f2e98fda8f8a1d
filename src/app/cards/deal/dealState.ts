/**
 * What the deal card may offer, decided from the deal's properties alone (pure, tested without
 * rendering). Mirrors the checks of the deal functions so buttons are only enabled when the
 * function would act; the functions check again.
 */
import {
  APPLY_CHANGE_VALUES,
  DEAL_PROPERTIES as P,
  DEAL_TYPE_VALUES,
  VALIDATION_VALUES,
} from '../shared/properties.js';

export type DealProperties = Record<string, string | null | undefined>;

export const DEAL_TYPE_LABELS: Record<string, string> = {
  [DEAL_TYPE_VALUES.signup]: 'Signup',
  [DEAL_TYPE_VALUES.signupExisting]: 'Signup for existing Customer',
  [DEAL_TYPE_VALUES.upgrade]: 'Upgrade',
};

export type ValidationState = 'none' | 'requested' | 'succeeded' | 'failed';

export function validationState(p: DealProperties): ValidationState {
  switch (p[P.validation]) {
    case VALIDATION_VALUES.succeeded:
      return 'succeeded';
    case VALIDATION_VALUES.failed:
      return 'failed';
    case VALIDATION_VALUES.requested:
      return 'requested';
    default:
      return 'none';
  }
}

export const isUpgrade = (p: DealProperties) => p[P.dealType] === DEAL_TYPE_VALUES.upgrade;
export const isClosedWon = (p: DealProperties) => p[P.isClosedWon] === 'true' || p[P.dealStage] === 'closedwon';
const has = (p: DealProperties, name: string) => Boolean(p[name]?.trim());

/** A signup deal with a contract is done; an upgrade deal is done once it owns the contract. */
export function isApplied(p: DealProperties): boolean {
  return has(p, P.contractId) && (!isUpgrade(p) || p[P.applyChange] === APPLY_CHANGE_VALUES.applied);
}

export interface Action {
  enabled: boolean;
  /** Why not (shown under the button), or what will happen. */
  hint: string;
}

export function validateAction(p: DealProperties): Action {
  if (!has(p, P.dealType))
    return {
      enabled: false,
      hint: 'Choose the Deal Type (billwerk) first: Signup, Signup for existing Customer or Upgrade.',
    };
  if (isApplied(p))
    return { enabled: false, hint: 'Already applied in billwerk; use an up/downgrade deal to change the contract.' };
  return {
    enabled: true,
    hint: 'Checks contact, company, entity and line items and asks billwerk for an order preview.',
  };
}

/**
 * Apply is offered only for a successfully validated deal in Closed won: reps close the deal in the
 * pipeline as the guide describes, then apply here (the card never moves the stage by itself, so
 * closing stays a deliberate pipeline decision).
 */
export function applyAction(p: DealProperties, lineItemsChanged = false): Action {
  const upgrade = isUpgrade(p);
  if (isApplied(p))
    return { enabled: false, hint: upgrade ? 'Up/downgrade executed in billwerk.' : 'Change applied in billwerk.' };
  if (validationState(p) !== 'succeeded')
    return { enabled: false, hint: 'Available after a successful validation and once the deal is Closed won.' };
  if (lineItemsChanged)
    return { enabled: false, hint: 'The line items changed since the validation: request validation again.' };
  if (!isClosedWon(p))
    return {
      enabled: false,
      hint: upgrade
        ? 'Move the deal to Closed won in the pipeline, then execute the up/downgrade here.'
        : 'Move the deal to Closed won in the pipeline, then apply it here.',
    };
  return {
    enabled: true,
    hint: upgrade
      ? 'Executes the up/downgrade on the contract in billwerk (the order is committed; billwerk invoices per its settings).'
      : 'Creates the customer (if new) and the contract in billwerk.',
  };
}

/** The button that writes the deal to billwerk, worded for the deal type (the guide: "Execute up/downgrade"). */
export function applyLabel(p: DealProperties, busy: boolean): string {
  if (isUpgrade(p)) return busy ? 'Executing…' : 'Execute up/downgrade in billwerk';
  return busy ? 'Applying…' : 'Apply change in billwerk';
}

/**
 * Where a failed apply left the deal, read from the words src/core/deal/applyProblems.ts writes into
 * the sync error (cards cannot import core; test/cards/DealCard.test.tsx pins the texts):
 * `committed` billwerk created the contract / executed the change, HubSpot steps are left;
 * `ordered` billwerk has the order but did not confirm its commit; `nothing` nothing changed.
 */
export type ApplyFailureState = 'committed' | 'ordered' | 'nothing' | 'unknown';

export function applyFailureState(message: string): ApplyFailureState {
  if (/^billwerk (created contract|executed the up\/downgrade)/.test(message)) return 'committed';
  if (/^billwerk has order .* did not confirm its commit/.test(message)) return 'ordered';
  if (/(Nothing was changed|No contract was created); try again\.$/.test(message)) return 'nothing';
  return 'unknown';
}

/** The title of a failed apply by the state it left, or undefined when the text names none. */
export function applyFailureTitle(message: string, upgrade: boolean): string | undefined {
  switch (applyFailureState(message)) {
    case 'committed':
      return upgrade
        ? 'Up/downgrade executed — finishing on the next click'
        : 'Contract created — finishing on the next click';
    case 'ordered':
      return upgrade
        ? 'Up/downgrade may be executed — checked on the next click'
        : 'Contract may exist — checked on the next click';
    case 'nothing':
      return 'Nothing changed — try again';
    default:
      return undefined;
  }
}

/** The sync error already says what the next click does (applyProblems' texts do); else the card adds it. */
export function saysNextStep(message: string): boolean {
  return /click Apply again|try again/i.test(message);
}

/** Latest creation or change of a line item, as epoch ms (NaN when none is known). */
function lastChange(properties: Record<string, string | null | undefined>): number {
  const times = ['hs_lastmodifieddate', 'hs_createdate', 'createdate'].map((name) =>
    Date.parse(properties[name] ?? ''),
  );
  return Math.max(...times.filter(Number.isFinite));
}

/**
 * True when a line item was added or changed after the last validation (`billwerk_validated_at`, written
 * by successful and failed checks): its reasons or summary no longer describe the deal. A removed line
 * item leaves no trace here; apply still refuses it (it compares the validated line items' fingerprint).
 */
export function lineItemsChangedSince(
  validatedAt: string | null | undefined,
  lineItems: readonly { properties: Record<string, string | null | undefined> }[],
): boolean {
  const checked = Date.parse(validatedAt ?? '');
  if (!Number.isFinite(checked)) return false;
  return lineItems.some((item) => lastChange(item.properties) > checked);
}

/**
 * The validation message as it reads now: once the contract exists, the preview's "new billwerk customer
 * (created on apply)" names the customer billwerk created instead.
 */
export function validationMessageNow(p: DealProperties): string | undefined {
  const message = p[P.validationMessage]?.replace(/^(Successfully validated|Validation failed)\n?/, '');
  if (!message || !has(p, P.contractId)) return message;
  const customer = p[P.customerId]?.trim();
  return message
    .replace(
      'new billwerk customer (created on apply)',
      customer ? `billwerk customer ${customer}, new with this contract` : 'a billwerk customer new with this contract',
    )
    .replace('Start: when the contract is created', 'Start: when the contract was created');
}

/** Up/downgrades start from a deal that owns a contract. */
export function upgradeAction(p: DealProperties): Action | undefined {
  if (!has(p, P.contractId) || p[P.contractSynced] !== 'true') return undefined;
  return {
    enabled: true,
    hint: has(p, P.upgradeDealId)
      ? 'Opens the existing open up/downgrade deal instead of creating another.'
      : 'Creates a deal with the same company and contact to change this contract.',
  };
}

export function paymentTermIgnored(p: DealProperties): boolean {
  return isUpgrade(p) && has(p, P.paymentTermDays);
}

export function dealUrl(portalId: number | string, dealId: string): string {
  return `https://app.hubspot.com/contacts/${portalId}/record/0-3/${dealId}`;
}
