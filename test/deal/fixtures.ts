/** Literal HubSpot records for the pure deal tests. */
import type { CrmRecord, CrmRecordWithAssociations } from '../../src/core/hubspot/api.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';

export const ROOT = DEMO_ENTITIES[0]!.id;
export const OTHER = DEMO_ENTITIES[1]!.id;
export const PV = '64c0000000000000000000a1';
export const PV2 = '64c0000000000000000000a2';
export const COMP = '64c0000000000000000000b1';

export const sku = (code: 'PV' | 'C' | 'D', id: string, entity = ROOT) => `BW:${code}:${id}:${entity}`;

export function lineItem(id: string, props: Record<string, string | null>): CrmRecord {
  return { id, properties: { quantity: '1', ...props } };
}

export function company(props: Record<string, string | null> = {}): CrmRecord {
  return {
    id: '101',
    properties: {
      name: 'Muster Software GmbH',
      billwerk_locale: 'de-DE',
      country: 'DE',
      billwerk_street: 'Musterstraße',
      billwerk_house_number: '12',
      zip: '80331',
      city: 'München',
      billwerk_entity: ROOT,
      ...props,
    },
  };
}

export function contact(props: Record<string, string | null> = {}): CrmRecord {
  return {
    id: '201',
    properties: { firstname: 'Erika', lastname: 'Mustermann', email: 'erika@muster.example', billwerk_entity: ROOT, ...props },
  };
}

export function deal(props: Record<string, string | null> = {}): CrmRecordWithAssociations {
  return {
    id: '301',
    properties: { dealname: 'Muster – Signup', billwerk_deal_type: 'Signup', billwerk_entity: ROOT, ...props },
    associations: {},
  };
}
