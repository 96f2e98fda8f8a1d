/** Shapes the customer functions return (mirrors src/core; cards cannot import it). */
export type CustomerObjectType = 'companies' | 'contacts';

export interface EntityOption {
  id: string;
  name: string;
}

export interface EntitiesReply {
  entities: EntityOption[];
  environment: 'sandbox' | 'production';
  /** billwerk's web app (BILLWERK_BASE_URL), for links to customers and contracts. */
  webAppUrl?: string;
}

export type SyncReply =
  { status: 'not-linked' } | { status: 'synced'; customerId: string; entityId: string | null; changed: boolean };

export interface SetEntityReply {
  entityId: string;
  entityName: string;
  updated: { objectType: CustomerObjectType; objectId: string }[];
}

export interface DispatchReply {
  saved: boolean;
  sync:
    { ok: true; value: SyncReply } | { ok: false; problems: { message: string; record?: string; field?: string }[] };
}

/** Singular words for messages. */
export const RECORD_WORD: Record<CustomerObjectType, { one: string; other: string }> = {
  companies: { one: 'company', other: 'contact' },
  contacts: { one: 'contact', other: 'company' },
};
