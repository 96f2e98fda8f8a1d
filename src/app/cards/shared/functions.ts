/**
 * Every app function the cards call, by uid (the `uid` of src/app/functions/<name>-hsmeta.json).
 * test/cards/functions-table.test.ts checks each one against the hsmeta files, so a renamed or removed
 * function fails a test instead of a rep's click.
 */
export const FUNCTIONS = {
  listEntities: 'list_entities',
  validateDeal: 'validate_deal',
  applyDeal: 'apply_deal',
  createUpgradeDeal: 'create_upgrade_deal',
  refreshContract: 'refresh_contract',
  syncCustomer: 'sync_customer',
  setEntity: 'set_entity',
  updateDispatchMode: 'update_dispatch_mode',
} as const;

export type FunctionUid = (typeof FUNCTIONS)[keyof typeof FUNCTIONS];
