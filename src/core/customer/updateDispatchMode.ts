/**
 * Sets a company's invoice dispatch mode (billwerk's default bearer medium) and, for EInvoicing, the
 * receiver id, network and buyer reference. Refuses what billwerk cannot do (guide, "Setting invoice
 * dispatch mode") before writing anything, then syncs the linked billwerk customer right away.
 */
import { BEARER_MEDIUM, COMPANY, EINVOICING_NETWORK } from '../catalog.js';
import type { Deps } from '../deps.js';
import type { CrmRecord } from '../hubspot/api.js';
import { checkDispatchMode } from './checks.js';
import { COMPANY_STANDARD } from './fields.js';
import { type BillwerkEnvironment } from '../billwerk/environment.js';
import { fail, succeed, type Outcome, type Problem } from '../result.js';
import { syncCustomer, type SyncCustomerResult } from './syncCustomer.js';

export type BearerMedium = (typeof BEARER_MEDIUM)[keyof typeof BEARER_MEDIUM];
export type EInvoicingNetwork = (typeof EINVOICING_NETWORK)[keyof typeof EINVOICING_NETWORK];

export interface UpdateDispatchModeInput {
  companyId: string;
  mode: BearerMedium;
  eInvoicingReceiverId?: string;
  eInvoicingNetwork?: EInvoicingNetwork | '';
  buyerReference?: string;
  environment: BillwerkEnvironment;
}

export interface UpdateDispatchModeResult {
  /** Whether HubSpot needed a write (false when the company already had these values). */
  saved: boolean;
  /** The customer sync that followed: synced, not linked, or the problems it hit. */
  sync: { ok: true; value: SyncCustomerResult } | { ok: false; problems: Problem[] };
}

export async function updateDispatchMode(deps: Deps, input: UpdateDispatchModeInput): Promise<Outcome<UpdateDispatchModeResult>> {
  const company = await deps.hubspot.getObject('companies', input.companyId, [COMPANY_STANDARD.name, ...DISPATCH_PROPERTIES]);
  const wanted = dispatchProperties(input);
  const candidate: CrmRecord = { id: company.id, properties: { ...company.properties, ...wanted } };
  const problems = checkDispatchMode(candidate, input.environment);
  if (problems.length > 0) return fail(...problems);

  const changes = Object.fromEntries(Object.entries(wanted).filter(([name, value]) => (company.properties[name] ?? '') !== value));
  const saved = Object.keys(changes).length > 0;
  if (saved) await deps.hubspot.updateObject('companies', company.id, changes);
  const sync = await syncCustomer(deps, { objectType: 'companies', objectId: company.id, environment: input.environment });
  return succeed({ saved, sync });
}

const DISPATCH_PROPERTIES = [COMPANY.defaultBearerMedium, COMPANY.eInvoicingReceiverId, COMPANY.eInvoicingNetwork, COMPANY.buyerReference];

/** E-invoicing details are kept only with EInvoicing, so billwerk never gets stale ones. */
function dispatchProperties(input: UpdateDispatchModeInput): Record<string, string> {
  const eInvoicing = input.mode === BEARER_MEDIUM.eInvoicing;
  return {
    [COMPANY.defaultBearerMedium]: input.mode,
    [COMPANY.eInvoicingReceiverId]: eInvoicing ? (input.eInvoicingReceiverId?.trim() ?? '') : '',
    [COMPANY.eInvoicingNetwork]: eInvoicing ? (input.eInvoicingNetwork ?? '') : '',
    [COMPANY.buyerReference]: eInvoicing ? (input.buyerReference?.trim() ?? '') : '',
  };
}
