/**
 * Every operation the connector serves, once: the app function's uid (its hsmeta file in
 * src/app/functions), the module's `main`, and who may call it. The HubSpot-hosted deployment runs
 * each `main` as an app function; the connector service (src/service) generates its routes from this
 * table and calls the same `main`, so both run the same zod parsing and the same use-case.
 * test/service/operations.test.ts checks the table against the hsmeta files: a new function is
 * added here once and served by both.
 */
import { main as applyDeal } from './apply-deal.js';
import { main as billwerkWebhook } from './billwerk-webhook.js';
import { main as checkConnection } from './check-connection.js';
import { main as createUpgradeDeal } from './create-upgrade-deal.js';
import type { EndpointMain } from './endpointFunction.js';
import { main as hubspotWebhook } from './hubspot-webhook.js';
import { main as listEntities } from './list-entities.js';
import type { PrivateMain } from './privateFunction.js';
import { main as productSyncStatus } from './product-sync-status.js';
import { main as productSyncTrigger } from './product-sync-trigger.js';
import { main as reconcile } from './reconcile.js';
import { main as reconcileTrigger } from './reconcile-trigger.js';
import { main as refreshContract } from './refresh-contract.js';
import { main as runSetup } from './run-setup.js';
import { main as saveMappings } from './save-mappings.js';
import { main as setEntity } from './set-entity.js';
import { main as settingsStatus } from './settings-status.js';
import { main as startProductSync } from './start-product-sync.js';
import { main as syncCustomer } from './sync-customer.js';
import { main as updateDispatchMode } from './update-dispatch-mode.js';
import { main as validateDeal } from './validate-deal.js';

/** Called by a card or the settings page (`hubspot.serverless` or, in service mode, `hubspot.fetch`). */
export interface PrivateOperation {
  kind: 'private';
  main: PrivateMain;
  /**
   * Changes the connector's setup or runs portal-wide work: in service mode only a portal super admin
   * may call it (docs/security.md "Service mode"). App functions cannot tell who called them. A
   * function of the parameters when only some calls are (e.g. reconcile: `run` yes, `status` no).
   */
  admin: boolean | ((parameters: Record<string, unknown>) => boolean);
}

/** Whether this call of `operation` needs an admin. */
export function needsAdmin(operation: PrivateOperation, parameters: Record<string, unknown>): boolean {
  return typeof operation.admin === 'function' ? operation.admin(parameters) : operation.admin;
}

/** Called from outside HubSpot's UI (billwerk, HubSpot webhooks, a scheduler); authenticates itself. */
export interface EndpointOperation {
  kind: 'endpoint';
  main: EndpointMain;
  /** The path under /hs/serverless/ (hosted) or under the service's URL, as in the hsmeta file. */
  path: string;
  methods: readonly string[];
}

export type Operation = PrivateOperation | EndpointOperation;

const card = (main: PrivateMain): PrivateOperation => ({ kind: 'private', main, admin: false });
const admin = (main: PrivateMain): PrivateOperation => ({ kind: 'private', main, admin: true });
const endpoint = (main: EndpointMain, path: string): EndpointOperation => ({ kind: 'endpoint', main, path, methods: ['POST'] });

export const OPERATIONS = {
  // Deal card
  validate_deal: card(validateDeal),
  apply_deal: card(applyDeal),
  create_upgrade_deal: card(createUpgradeDeal),
  refresh_contract: card(refreshContract),
  // Company and contact cards
  list_entities: card(listEntities),
  set_entity: card(setEntity),
  sync_customer: card(syncCustomer),
  update_dispatch_mode: card(updateDispatchMode),
  // Settings page: reading is for everyone, changing the setup is for admins
  settings_status: card(settingsStatus),
  check_connection: card(checkConnection),
  product_sync_status: card(productSyncStatus),
  run_setup: admin(runSetup),
  save_mappings: admin(saveMappings),
  start_product_sync: admin(startProductSync),
  // Reading the sweep's state is for everyone; running it is for admins (any other action too).
  reconcile: { kind: 'private', main: reconcile, admin: (parameters) => parameters.action !== 'status' },
  // Public endpoints
  billwerk_webhook: endpoint(billwerkWebhook, '/billwerk/events'),
  hubspot_webhook: endpoint(hubspotWebhook, '/hubspot-events'),
  product_sync_trigger: endpoint(productSyncTrigger, '/billwerk/product-sync'),
  reconcile_trigger: endpoint(reconcileTrigger, '/billwerk/reconcile'),
} satisfies Record<string, Operation>;

export type OperationUid = keyof typeof OPERATIONS;

export function privateOperation(uid: string): PrivateOperation | undefined {
  const operation = Object.hasOwn(OPERATIONS, uid) ? (OPERATIONS as Record<string, Operation>)[uid] : undefined;
  return operation?.kind === 'private' ? operation : undefined;
}

export function endpointOperations(): [string, EndpointOperation][] {
  return Object.entries(OPERATIONS as Record<string, Operation>).filter(
    (entry): entry is [string, EndpointOperation] => entry[1].kind === 'endpoint',
  );
}
