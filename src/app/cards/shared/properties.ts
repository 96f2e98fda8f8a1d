/**
 * HubSpot property names and option values the cards use. Cards cannot import src/core (HubSpot builds
 * them alone), so the names live here; test/cards/properties-in-catalog.test.ts checks each one
 * against src/core/catalog.ts.
 */

/** Company and contact properties of the billwerk customer link (same names on both objects). */
export const CUSTOMER_PROPERTIES = {
  customerId: 'billwerk_customer_id',
  entity: 'billwerk_entity',
  syncStatus: 'billwerk_customer_sync_status',
  syncError: 'billwerk_customer_sync_error',
  syncedAt: 'billwerk_customer_synced_at',
} as const;

/** Company properties of the invoice dispatch mode. */
export const DISPATCH_PROPERTIES = {
  mode: 'billwerk_default_bearer_medium',
  receiverId: 'billwerk_einvoicing_receiver_id',
  network: 'billwerk_einvoicing_network',
  buyerReference: 'billwerk_buyer_reference',
} as const;

/** Option values (checked against the catalog's options). */
export const CUSTOMER_SYNC_VALUES = { succeeded: 'SuccessfullyUpdated', failed: 'UpdateFailed' } as const;
export const BEARER_MEDIUM_VALUES = ['Email', 'SnailMail', 'ArchiveOnly', 'EInvoicing'] as const;
export const EINVOICING_NETWORK_VALUES = ['Finvoice', 'Peppol'] as const;

/** Deal properties the deal card shows or sends to the deal functions. */
export const DEAL_PROPERTIES = {
  dealName: 'dealname',
  dealStage: 'dealstage',
  isClosedWon: 'hs_is_closed_won',
  dealType: 'billwerk_deal_type',
  validation: 'billwerk_validation',
  validationMessage: 'billwerk_validation_message',
  validatedAt: 'billwerk_validated_at',
  applyChange: 'billwerk_apply_change',
  paymentTermDays: 'billwerk_payment_term_days',
  startDate: 'billwerk_start_date',
  entity: 'billwerk_entity',
  contractId: 'billwerk_contract_id',
  customerId: 'billwerk_customer_id',
  originDealId: 'billwerk_origin_deal_id',
  upgradeDealId: 'billwerk_upgrade_deal_id',
  currentContract: 'billwerk_current_contract',
  contractSynced: 'billwerk_contract_synced',
  syncError: 'billwerk_sync_error',
} as const;

/** Option values of the deal properties (checked against the catalog's options). */
export const DEAL_TYPE_VALUES = {
  signup: 'Signup',
  signupExisting: 'SignupExistingCustomer',
  upgrade: 'Upgrade',
} as const;
export const VALIDATION_VALUES = {
  requested: 'RequestValidation',
  succeeded: 'SuccessfullyValidated',
  failed: 'ValidationFailed',
} as const;
export const APPLY_CHANGE_VALUES = {
  requested: 'RequestChange',
  applied: 'ChangeApplied',
  failed: 'ChangeFailed',
} as const;

/** Deal properties of the contract's billing state (BillingStatus section, refresh_contract). */
export const BILLING_PROPERTIES = {
  contractId: 'billwerk_contract_id',
  contractSynced: 'billwerk_contract_synced',
  paymentEscalated: 'billwerk_payment_escalated',
  paymentEscalationDueDate: 'billwerk_payment_escalation_due_date',
  paymentEscalationTriggerDays: 'billwerk_payment_escalation_trigger_days',
  balance: 'billwerk_balance',
  currency: 'billwerk_currency',
  billedUntil: 'billwerk_billed_until',
  nextBillingDate: 'billwerk_next_billing_date',
  lifecycleStatus: 'billwerk_lifecycle_status',
  paymentProvider: 'billwerk_payment_provider',
  paymentMethod: 'billwerk_payment_method',
  endDate: 'billwerk_end_date',
  lastInvoiceNumber: 'billwerk_last_invoice_number',
  lastInvoiceTotal: 'billwerk_last_invoice_total',
  lastInvoiceDate: 'billwerk_last_invoice_date',
  billingSyncedAt: 'billwerk_billing_synced_at',
  syncError: 'billwerk_sync_error',
} as const;
