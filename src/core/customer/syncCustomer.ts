/**
 * Pushes the whole current state of a linked company or contact (plus its linked counterpart) to the
 * billwerk customer, then writes "Updated customer in billwerk" on both records.
 *
 * Unlike billwerk's own connector a failure never blocks later syncs: every run maps everything again
 * and PATCHes all mapped fields, so the next edit (or "Sync now") repairs what a failed run left behind,
 * and a success clears the error.
 */
import { COMPANY, CUSTOMER_SYNC } from '../catalog.js';
import type { Deps } from '../deps.js';
import type { Customer, CustomerInput } from '../billwerk/schemas.js';
import type { CrmRecord } from '../hubspot/api.js';
import { checkCompany, checkContact, checkSameEntity } from './checks.js';
import { describeCompany, describeContact, CUSTOMER_COMPANY_PROPERTIES, CUSTOMER_CONTACT_PROPERTIES } from './fields.js';
import { toCustomerFromCompany, toCustomerFromContact } from './toBillwerkCustomer.js';
import { type BillwerkEnvironment } from '../billwerk/environment.js';
import { customerCustomFieldsFrom, mappedHubSpotProperties, mergedCustomFields } from '../settings/mappings.js';
import { cachedMappings } from '../settings/mappingsCache.js';
import { fail, succeed, type Outcome, type Problem } from '../result.js';
import { isTransient, statusOf } from '../events/failures.js';

export type CustomerRecordType = 'companies' | 'contacts';

export interface SyncCustomerInput {
  objectType: CustomerRecordType;
  objectId: string;
  /** From BILLWERK_BASE_URL (the edge knows it): SnailMail is refused on a sandbox. */
  environment: BillwerkEnvironment;
  /**
   * After recording a transient billwerk failure (outage, timeout, 5xx, 429) on the records, rethrow it
   * so a webhook caller can ask HubSpot to redeliver. Cards leave it off and show the problem.
   */
  rethrowTransient?: boolean;
}

export type SyncCustomerResult =
  { status: 'not-linked' } | { status: 'synced'; customerId: string; entityId: string | null; changed: boolean };

const LINK_PROPERTIES = [COMPANY.customerId, COMPANY.entity, COMPANY.customerSyncStatus, COMPANY.customerSyncError];

export function customerPropertiesOf(type: CustomerRecordType): string[] {
  return [...(type === 'companies' ? CUSTOMER_COMPANY_PROPERTIES : CUSTOMER_CONTACT_PROPERTIES), ...LINK_PROPERTIES];
}

const counterpartType = (type: CustomerRecordType): CustomerRecordType => (type === 'companies' ? 'contacts' : 'companies');

interface LinkedRecords {
  customerId: string;
  company?: CrmRecord;
  contact?: CrmRecord;
}

export async function syncCustomer(deps: Deps, input: SyncCustomerInput): Promise<Outcome<SyncCustomerResult>> {
  // Company -> customer custom field mappings (settings page, cached per warm container); their
  // properties are read with the rest.
  const mappings = await cachedMappings(deps.hubspot, deps.now());
  const linked = await gatherLinkedRecords(deps, input, mappedHubSpotProperties(mappings, 'company'));
  if (!linked) return succeed({ status: 'not-linked' });

  const entityId = customerEntity(linked);
  const problems = checkLinkedRecords(deps, linked, input.environment, entityId);
  if (problems.length > 0) {
    await writeStatus(deps, linked, { ok: false, message: problems.map(problemText).join('\n') });
    return fail(...problems);
  }

  const wanted = {
    ...(linked.company ? toCustomerFromCompany(linked.company, { empty: 'clear' }) : {}),
    ...(linked.contact ? toCustomerFromContact(linked.contact, { empty: 'clear' }) : {}),
  };
  const customFields = linked.company
    ? customerCustomFieldsFrom(linked.company, mappings, entityId ?? deps.billwerk.entities[0]?.id ?? '')
    : {};
  let changed: boolean;
  try {
    const api = deps.billwerk.forEntity(entityId);
    const current = await api.getCustomer(linked.customerId);
    const merged = mergedCustomFields(current.CustomFields, customFields);
    if (merged) wanted.CustomFields = merged;
    changed = customerDiffers(current, wanted);
    if (changed) await api.updateCustomer(linked.customerId, wanted);
  } catch (error) {
    const problem: Problem = { record: describeMain(linked, input.objectType), message: billwerkErrorText(error, linked.customerId) };
    deps.logger.warn('billwerk customer update failed', {
      customerId: linked.customerId,
      objectType: input.objectType,
      objectId: input.objectId,
      error: problem.message,
    });
    await writeStatus(deps, linked, { ok: false, message: problem.message });
    if (input.rethrowTransient && isTransient(error)) throw error;
    return fail(problem);
  }

  await writeStatus(deps, linked, { ok: true, changed });
  deps.logger.info('billwerk customer synced', {
    customerId: linked.customerId,
    changed,
    objectType: input.objectType,
    objectId: input.objectId,
  });
  return succeed({ status: 'synced', customerId: linked.customerId, entityId, changed });
}

/** The record, and the associated counterpart linked to the same billwerk customer (if any). */
async function gatherLinkedRecords(
  deps: Deps,
  input: SyncCustomerInput,
  mappedCompanyProperties: readonly string[] = [],
): Promise<LinkedRecords | undefined> {
  const otherType = counterpartType(input.objectType);
  const propertiesOf = (type: CustomerRecordType) => [
    ...customerPropertiesOf(type),
    ...(type === 'companies' ? mappedCompanyProperties : []),
  ];
  const record = await deps.hubspot.getObject(input.objectType, input.objectId, propertiesOf(input.objectType), [otherType]);
  const customerId = record.properties[COMPANY.customerId]?.trim();
  if (!customerId) return undefined;

  const otherIds = record.associations[otherType] ?? [];
  const others = otherIds.length > 0 ? await deps.hubspot.batchRead(otherType, otherIds, propertiesOf(otherType)) : [];
  // Several contacts may sit at a company: the billwerk contact person is the one linked to the same customer.
  const other = others
    .filter((r) => r.properties[COMPANY.customerId]?.trim() === customerId)
    .sort((a, b) => Number(a.id) - Number(b.id))[0];
  return input.objectType === 'companies'
    ? { customerId, company: record, contact: other }
    : { customerId, contact: record, company: other };
}

function customerEntity(linked: LinkedRecords): string | null {
  const fromRecord = (r?: CrmRecord) => r?.properties[COMPANY.entity]?.trim() || undefined;
  return fromRecord(linked.company) ?? fromRecord(linked.contact) ?? null;
}

function checkLinkedRecords(deps: Deps, linked: LinkedRecords, environment: BillwerkEnvironment, entityId: string | null): Problem[] {
  const root = deps.billwerk.entities[0]?.id;
  const problems = [
    ...(linked.contact ? checkContact(linked.contact) : []),
    ...(linked.company ? checkCompany(linked.company, environment) : []),
    ...(linked.company && linked.contact ? checkSameEntity(linked.company, linked.contact, root) : []),
  ];
  if (entityId && !deps.billwerk.entities.some((e) => e.id === entityId)) {
    problems.push({
      record: linked.company ? describeCompany(linked.company) : describeContact(linked.contact!),
      field: 'Entity',
      message: `Entity ${entityId} is not configured in the connector; choose one of ${deps.billwerk.entities.map((e) => e.name).join(', ')}.`,
    });
  }
  return problems;
}

function describeMain(linked: LinkedRecords, type: CustomerRecordType): string {
  if (type === 'companies' && linked.company) return describeCompany(linked.company);
  return linked.contact ? describeContact(linked.contact) : describeCompany(linked.company!);
}

export function problemText(problem: Problem): string {
  const where = [problem.record, problem.field].filter(Boolean).join(' – ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

type SyncStatus = { ok: true; changed: boolean } | { ok: false; message: string };

/** Writes the status on every linked record, skipping records where nothing would change. */
async function writeStatus(deps: Deps, linked: LinkedRecords, status: SyncStatus): Promise<void> {
  const now = deps.now().toISOString();
  const writes: { type: CustomerRecordType; record: CrmRecord }[] = [];
  if (linked.company) writes.push({ type: 'companies', record: linked.company });
  if (linked.contact) writes.push({ type: 'contacts', record: linked.contact });
  for (const { type, record } of writes) {
    const properties = statusProperties(record, status, now);
    if (properties) await deps.hubspot.updateObject(type, record.id, properties);
  }
}

/** The status properties to write, or undefined when the record already shows this result. */
export function statusProperties(record: CrmRecord, status: SyncStatus, now: string): Record<string, string> | undefined {
  const wanted = status.ok
    ? { [COMPANY.customerSyncStatus]: CUSTOMER_SYNC.succeeded, [COMPANY.customerSyncError]: '' }
    : { [COMPANY.customerSyncStatus]: CUSTOMER_SYNC.failed, [COMPANY.customerSyncError]: status.message };
  const same = Object.entries(wanted).every(([name, value]) => (record.properties[name] ?? '') === value);
  if (same && !(status.ok && status.changed)) return undefined;
  return status.ok ? { ...wanted, [COMPANY.customerSyncedAt]: now } : wanted;
}

/** True when billwerk's customer differs from what HubSpot says in any mapped field. */
export function customerDiffers(current: Customer, wanted: CustomerInput): boolean {
  const blank = (v: unknown) => (v === undefined || v === null || v === '' ? null : v);
  for (const [key, value] of Object.entries(wanted)) {
    if (key === 'Address' || key === 'CustomFields') {
      // Compared field by field: billwerk may hold more of them than HubSpot sends.
      const nested = ((key === 'Address' ? current.Address : current.CustomFields) ?? {}) as Record<string, unknown>;
      for (const [field, fieldValue] of Object.entries(value as Record<string, unknown>)) {
        if (blank(nested[field]) !== blank(fieldValue)) return true;
      }
    } else if (blank((current as Record<string, unknown>)[key]) !== blank(value)) {
      return true;
    }
  }
  return false;
}

/** billwerk failures in words a rep can act on; never echoes credentials. */
export function billwerkErrorText(error: unknown, customerId: string): string {
  const status = statusOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (status === 404) return `billwerk customer ${customerId} was not found in this entity. Check the Entity and the billwerk customer id.`;
  if (status === 400 || status === 409 || status === 422) return `billwerk rejected the customer update: ${detail}`;
  return `billwerk could not be reached (${detail}). The next change or "Sync now" sends everything again.`;
}
