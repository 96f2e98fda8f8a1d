/**
 * Shapes the settings functions reply with. They mirror src/core/settings/{settingsStatus,setup,
 * checkConnection}.ts and src/core/mappings.ts; the page cannot import src/core (HubSpot builds this
 * folder on its own). test/settings/settings-types.test.ts keeps both sides in step.
 */
export type MappingObject = 'deal' | 'company';

export interface CustomFieldMapping {
  entityId: string;
  object: MappingObject;
  hubspotProperty: string;
  billwerkField: string;
  /** Saved after the admin confirmed a field billwerk did not show; the list warns about it. */
  unverified?: boolean;
}

/** The `field` of the problem that asks to confirm an unknown billwerk field (src/core/settings/mappings.ts). */
export const UNKNOWN_BILLWERK_FIELD = 'billwerk custom field (not found in billwerk)';

export interface PropertyChoice {
  name: string;
  label: string;
  type: string;
}

export interface SetupConflict {
  item: string;
  message: string;
}

export interface SettingsStatus {
  billwerk: { baseUrl: string; environment: 'sandbox' | 'production' };
  entities: { id: string; name: string }[];
  setup: { state: 'done' | 'needed'; pending: string[]; conflicts: SetupConflict[]; notes: string[] };
  mappings: CustomFieldMapping[];
  customFieldProperties: Record<MappingObject, PropertyChoice[]>;
}

export interface SetupReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  conflicts: SetupConflict[];
  notes: string[];
}

export interface EntityConnection {
  entityId: string;
  entityName: string;
  ok: boolean;
  reachable: boolean;
  authorized: boolean;
  message: string;
}

export interface ConnectionReport {
  billwerk: { baseUrl: string; environment: 'sandbox' | 'production' };
  entities: EntityConnection[];
  hubspot: { ok: boolean; message: string };
}

/**
 * Every app function the page calls, by uid (src/app/functions/*-hsmeta.json), the sections' ones
 * included. test/settings/settings-contract.test.ts checks them.
 */
export const FUNCTIONS = {
  status: 'settings_status',
  connection: 'check_connection',
  setup: 'run_setup',
  mappings: 'save_mappings',
  productSyncStart: 'start_product_sync',
  productSyncStatus: 'product_sync_status',
  reconcile: 'reconcile',
} as const;

export type FunctionUid = (typeof FUNCTIONS)[keyof typeof FUNCTIONS];

export const OBJECT_LABELS: Record<MappingObject, string> = {
  deal: 'Deal ↔ billwerk contract',
  company: 'Company ↔ billwerk customer',
};
