/**
 * Sets the billwerk entity of a company or contact, enforcing the guide's multi-tenant rule: a company
 * must be within the same entity as its contact person. A record already linked to a billwerk customer
 * keeps its entity (the customer lives in that entity).
 */
import { COMPANY } from '../catalog.js';
import type { Deps } from '../deps.js';
import type { CrmRecord } from '../hubspot/api.js';
import { CONTACT_STANDARD, COMPANY_STANDARD, describeCompany, describeContact } from './fields.js';
import { fail, succeed, type Outcome } from '../result.js';
import type { CustomerRecordType } from './syncCustomer.js';

export interface SetRecordEntityInput {
  objectType: CustomerRecordType;
  objectId: string;
  entityId: string;
  /** Also move the associated companies/contacts (none of them may be linked to a billwerk customer). */
  includeAssociated?: boolean;
}

export interface SetRecordEntityResult {
  entityId: string;
  entityName: string;
  /** Records whose entity was written (unchanged ones are skipped). */
  updated: { objectType: CustomerRecordType; objectId: string }[];
}

const PROPERTIES = [
  COMPANY.entity,
  COMPANY.customerId,
  COMPANY_STANDARD.name,
  CONTACT_STANDARD.firstName,
  CONTACT_STANDARD.lastName,
  CONTACT_STANDARD.email,
];

const describe = (type: CustomerRecordType, record: CrmRecord) =>
  type === 'companies' ? describeCompany(record) : describeContact(record);
const other = (type: CustomerRecordType): CustomerRecordType => (type === 'companies' ? 'contacts' : 'companies');

export async function setRecordEntity(deps: Deps, input: SetRecordEntityInput): Promise<Outcome<SetRecordEntityResult>> {
  const entity = deps.billwerk.entities.find((e) => e.id === input.entityId);
  if (!entity) {
    return fail({
      field: 'Entity',
      message: `Entity ${input.entityId} is not configured; choose one of ${deps.billwerk.entities.map((e) => e.name).join(', ')}.`,
    });
  }
  const root = deps.billwerk.entities[0]?.id;
  const entityOf = (r: CrmRecord) => r.properties[COMPANY.entity]?.trim() || root;
  const nameOf = (id: string | undefined) => deps.billwerk.entities.find((e) => e.id === id)?.name ?? id ?? 'none';

  const otherType = other(input.objectType);
  const record = await deps.hubspot.getObject(input.objectType, input.objectId, PROPERTIES, [otherType]);
  const recordName = describe(input.objectType, record);
  const linkedRefusal = (type: CustomerRecordType, r: CrmRecord) => ({
    record: describe(type, r),
    field: 'Entity',
    message: `${describe(type, r)} is linked to billwerk customer ${r.properties[COMPANY.customerId]} in entity ${nameOf(entityOf(r))}; its entity cannot change.`,
  });

  if (record.properties[COMPANY.customerId]?.trim() && entityOf(record) !== entity.id) {
    return fail(linkedRefusal(input.objectType, record));
  }

  const otherIds = record.associations[otherType] ?? [];
  const associated = otherIds.length > 0 ? await deps.hubspot.batchRead(otherType, otherIds, PROPERTIES) : [];
  const mismatched = associated.filter((r) => entityOf(r) !== entity.id);
  if (mismatched.length > 0 && !input.includeAssociated) {
    return fail(
      ...mismatched.map((r) => ({
        record: recordName,
        field: 'Entity',
        message: `${describe(otherType, r)} is in entity ${nameOf(entityOf(r))}; company and contact must share one entity. Change both together or change ${describe(otherType, r)} first.`,
      })),
    );
  }
  const linkedOthers = mismatched.filter((r) => r.properties[COMPANY.customerId]?.trim());
  if (linkedOthers.length > 0) return fail(...linkedOthers.map((r) => linkedRefusal(otherType, r)));

  const updated: SetRecordEntityResult['updated'] = [];
  if (record.properties[COMPANY.entity]?.trim() !== entity.id) {
    await deps.hubspot.updateObject(input.objectType, record.id, { [COMPANY.entity]: entity.id });
    updated.push({ objectType: input.objectType, objectId: record.id });
  }
  if (mismatched.length > 0) {
    await deps.hubspot.batchUpdate(
      otherType,
      mismatched.map((r) => ({ id: r.id, properties: { [COMPANY.entity]: entity.id } })),
    );
    updated.push(...mismatched.map((r) => ({ objectType: otherType, objectId: r.id })));
  }
  return succeed({ entityId: entity.id, entityName: entity.name, updated });
}
