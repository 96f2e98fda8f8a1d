/**
 * Every HubSpot property and property group the connector owns. Setup creates them from here, mappers
 * and use-cases read and write them by these names, and cards show them with these labels.
 * Internal names start with `billwerk_` so they never collide with a portal's own properties.
 */
import type { BillwerkEntity } from './config.js';

export type CrmObjectType = 'deals' | 'companies' | 'contacts' | 'products' | 'line_items';

export interface PropertyOption {
  value: string;
  label: string;
}

export interface PropertyDefinition {
  objectType: CrmObjectType;
  name: string;
  label: string;
  description: string;
  groupName: string;
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
  fieldType: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'booleancheckbox';
  options?: PropertyOption[];
  /** Written by the connector only; shown read-only to reps (HubSpot's `modificationMetadata`). */
  connectorOwned?: boolean;
  /**
   * HubSpot's `hasUniqueValue`: no two records of the object may hold the same value, and records can be
   * read by it (batch read with `idProperty`). Only settable when the property is created.
   */
  hasUniqueValue?: boolean;
}

export interface PropertyGroupDefinition {
  objectType: CrmObjectType;
  name: string;
  label: string;
}

export const GROUP = {
  billwerk: 'billwerk',
  customFields: 'billwerk_custom_fields_sync',
} as const;

const GROUP_LABELS: Record<string, string> = {
  [GROUP.billwerk]: 'billwerk',
  [GROUP.customFields]: 'Billwerk custom fields sync',
};

function options(pairs: Record<string, string>): PropertyOption[] {
  return Object.entries(pairs).map(([value, label]) => ({ value, label }));
}

// Option values are stable identifiers; labels follow the words of billwerk's connector guide.
export const DEAL_TYPE = { signup: 'Signup', signupExisting: 'SignupExistingCustomer', upgrade: 'Upgrade' } as const;
export const VALIDATION = { requested: 'RequestValidation', succeeded: 'SuccessfullyValidated', failed: 'ValidationFailed' } as const;
export const APPLY_CHANGE = { requested: 'RequestChange', applied: 'ChangeApplied', failed: 'ChangeFailed' } as const;
export const CUSTOMER_SYNC = { succeeded: 'SuccessfullyUpdated', failed: 'UpdateFailed' } as const;
export const BEARER_MEDIUM = { email: 'Email', snailMail: 'SnailMail', archiveOnly: 'ArchiveOnly', eInvoicing: 'EInvoicing' } as const;
export const EINVOICING_NETWORK = { finvoice: 'Finvoice', peppol: 'Peppol' } as const;
export const ITEM_TYPE = { planVariant: 'PlanVariant', component: 'Component', discount: 'Discount' } as const;
export const PRICE_MODEL = { flat: 'Flat', tiered: 'Tiered', percent: 'Percent' } as const;

/** Names of the connector's properties, grouped by object, for code that reads or writes them. */
export const DEAL = {
  dealType: 'billwerk_deal_type',
  validation: 'billwerk_validation',
  validationMessage: 'billwerk_validation_message',
  validatedAt: 'billwerk_validated_at',
  validatedLineItemsHash: 'billwerk_validated_line_items_hash',
  applyChange: 'billwerk_apply_change',
  startDate: 'billwerk_start_date',
  paymentTermDays: 'billwerk_payment_term_days',
  entity: 'billwerk_entity',
  contractId: 'billwerk_contract_id',
  customerId: 'billwerk_customer_id',
  orderId: 'billwerk_order_id',
  originDealId: 'billwerk_origin_deal_id',
  upgradeDealId: 'billwerk_upgrade_deal_id',
  currentContract: 'billwerk_current_contract',
  contractSynced: 'billwerk_contract_synced',
  /** Unique per portal: only the deal that owns the contract holds its id here (docs/deal-flow.md, ownership). */
  ownedContractId: 'billwerk_owned_contract_id',
  paymentEscalated: 'billwerk_payment_escalated',
  /** From the PaymentEscalated webhook: the overdue receivable's due date and the days since then. */
  paymentEscalationDueDate: 'billwerk_payment_escalation_due_date',
  paymentEscalationTriggerDays: 'billwerk_payment_escalation_trigger_days',
  /** When the connector last handled a PaymentEscalationReset (orders a late PaymentEscalated, docs/billwerk-api.md). */
  paymentEscalationResetAt: 'billwerk_payment_escalation_reset_at',
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
  /** Which steps of the last apply are done (JSON, docs/deal-flow.md "One apply protocol"). */
  applyProgress: 'billwerk_apply_progress',
} as const;

export const COMPANY = {
  entity: 'billwerk_entity',
  customerId: 'billwerk_customer_id',
  externalCustomerId: 'billwerk_external_customer_id',
  locale: 'billwerk_locale',
  street: 'billwerk_street',
  houseNumber: 'billwerk_house_number',
  vatId: 'billwerk_vat_id',
  defaultBearerMedium: 'billwerk_default_bearer_medium',
  eInvoicingReceiverId: 'billwerk_einvoicing_receiver_id',
  eInvoicingNetwork: 'billwerk_einvoicing_network',
  buyerReference: 'billwerk_buyer_reference',
  destinationCountry: 'billwerk_destination_country',
  customerSyncStatus: 'billwerk_customer_sync_status',
  customerSyncError: 'billwerk_customer_sync_error',
  customerSyncedAt: 'billwerk_customer_synced_at',
} as const;

/**
 * Lease records (src/core/lock.ts): a company record per held lease, found by its unique key. Companies,
 * because HubSpot allows unique-value properties on companies, deals, tickets, contacts and custom objects
 * only, and a company (unlike a deal) shows in no pipeline or revenue report. docs/deal-flow.md "Leases".
 */
export const LEASE_OBJECT = 'companies' as const;
export const LEASE = {
  key: 'billwerk_lease_key',
  holder: 'billwerk_lease_holder',
  expiresAt: 'billwerk_lease_expires_at',
} as const;

export const CONTACT = {
  entity: 'billwerk_entity',
  customerId: 'billwerk_customer_id',
  customerSyncStatus: 'billwerk_customer_sync_status',
  customerSyncError: 'billwerk_customer_sync_error',
  customerSyncedAt: 'billwerk_customer_synced_at',
} as const;

export const PRODUCT = {
  /** `<entity id>:<billwerk item id>`, unique per portal: the sync reads and upserts products by it, never searches. */
  key: 'billwerk_product_key',
  itemType: 'billwerk_item_type',
  itemId: 'billwerk_item_id',
  entity: 'billwerk_entity',
  planId: 'billwerk_plan_id',
  planGroupId: 'billwerk_plan_group_id',
  currency: 'billwerk_currency',
  billingPeriod: 'billwerk_billing_period',
  priceModel: 'billwerk_price_model',
  contentHash: 'billwerk_content_hash',
} as const;

/** HubSpot's own properties the connector reads (never creates). */
export const HUBSPOT_STANDARD = {
  deal: ['dealname', 'dealstage', 'pipeline', 'amount', 'closedate', 'hs_is_closed_won', 'deal_currency_code'],
  company: ['name', 'address', 'address2', 'city', 'zip', 'state', 'country', 'domain', 'phone'],
  contact: ['firstname', 'lastname', 'email', 'phone'],
  lineItem: ['hs_product_id', 'name', 'quantity', 'price', 'hs_lastmodifieddate'],
  product: ['name', 'price', 'description', 'hs_sku', 'recurringbillingfrequency', 'hs_recurring_billing_period'],
} as const;

type Spec = Omit<PropertyDefinition, 'objectType' | 'groupName'> & { groupName?: string };

function defs(objectType: CrmObjectType, specs: Spec[]): PropertyDefinition[] {
  return specs.map((s) => ({ groupName: GROUP.billwerk, ...s, objectType }));
}

const text = (name: string, label: string, description: string, connectorOwned = true): Spec => ({
  name,
  label,
  description,
  type: 'string',
  fieldType: 'text',
  connectorOwned,
});
const longText = (name: string, label: string, description: string): Spec => ({
  name,
  label,
  description,
  type: 'string',
  fieldType: 'textarea',
  connectorOwned: true,
});
const number = (name: string, label: string, description: string, connectorOwned = true): Spec => ({
  name,
  label,
  description,
  type: 'number',
  fieldType: 'number',
  connectorOwned,
});
const date = (name: string, label: string, description: string, connectorOwned = true): Spec => ({
  name,
  label,
  description,
  type: 'date',
  fieldType: 'date',
  connectorOwned,
});
const dateTime = (name: string, label: string, description: string): Spec => ({
  name,
  label,
  description,
  type: 'datetime',
  fieldType: 'date',
  connectorOwned: true,
});
const select = (name: string, label: string, description: string, opts: Record<string, string>, connectorOwned = false): Spec => ({
  name,
  label,
  description,
  type: 'enumeration',
  fieldType: 'select',
  options: options(opts),
  connectorOwned,
});
const bool = (name: string, label: string, description: string): Spec => ({
  name,
  label,
  description,
  type: 'enumeration',
  fieldType: 'booleancheckbox',
  options: [
    { value: 'true', label: 'Yes' },
    { value: 'false', label: 'No' },
  ],
  connectorOwned: true,
});

/** The entity picker property: one option per configured billwerk entity (root first). */
function entitySpec(entities: readonly BillwerkEntity[]): Spec {
  return {
    name: 'billwerk_entity',
    label: 'Entity',
    type: 'enumeration',
    fieldType: 'select',
    description: 'billwerk entity (tenant) this record belongs to. Contact, company, deal and line items must share it.',
    options: entities.map((e) => ({ value: e.id, label: e.name })),
  };
}

const BEARER_MEDIUM_LABELS = {
  [BEARER_MEDIUM.email]: 'Email',
  [BEARER_MEDIUM.snailMail]: 'SnailMail',
  [BEARER_MEDIUM.archiveOnly]: 'ArchiveOnly',
  [BEARER_MEDIUM.eInvoicing]: 'EInvoicing',
};

/** All property definitions; `entities` fills the options of the Entity properties. */
export function propertyCatalog(entities: readonly BillwerkEntity[]): PropertyDefinition[] {
  const entity = entitySpec(entities);
  return [
    ...defs('deals', [
      select(
        DEAL.dealType,
        'Deal Type (billwerk)',
        'Signup for a new customer, Signup for an existing billwerk customer, or Upgrade of an existing contract.',
        {
          [DEAL_TYPE.signup]: 'Signup',
          [DEAL_TYPE.signupExisting]: 'Signup for existing Customer',
          [DEAL_TYPE.upgrade]: 'Upgrade',
        },
      ),
      select(DEAL.validation, 'billwerk validation', 'State of the order preview in billwerk.', {
        [VALIDATION.requested]: 'Request validation',
        [VALIDATION.succeeded]: 'Successfully validated',
        [VALIDATION.failed]: 'Validation failed',
      }),
      longText(DEAL.validationMessage, 'billwerk validation message', 'Preview summary, or every reason the validation failed.'),
      dateTime(
        DEAL.validatedAt,
        'billwerk validated at',
        'When the last validation ran (successful or failed); line items changed later need a new validation.',
      ),
      text(
        DEAL.validatedLineItemsHash,
        'billwerk validated line items',
        'Fingerprint of the line items that were validated; a change requires validating again.',
      ),
      select(
        DEAL.applyChange,
        'Apply changes in billwerk',
        'Request change creates the contract (signup) or commits the up/downgrade when the deal is Closed won.',
        {
          [APPLY_CHANGE.requested]: 'Request change',
          [APPLY_CHANGE.applied]: 'Change applied',
          [APPLY_CHANGE.failed]: 'Change failed',
        },
      ),
      date(DEAL.startDate, 'billwerk start date', 'Contract start (signup) or change date (up/downgrade). Empty means now.', false),
      number(DEAL.paymentTermDays, 'Payment term (in days)', 'Individual term of payment for the new contract. Signup deals only.', false),
      entity,
      text(DEAL.contractId, 'billwerk contract id', 'The billwerk contract this deal created or changed.'),
      text(DEAL.customerId, 'billwerk customer id', 'The billwerk customer of the contract.'),
      text(DEAL.orderId, 'billwerk order id', 'Order created for this deal; kept so a retried apply resumes instead of ordering twice.'),
      text(DEAL.originDealId, 'Origin deal id', 'The deal whose contract this up/downgrade deal changes.'),
      text(
        DEAL.upgradeDealId,
        'Up/downgrade deal id',
        'The up/downgrade deal created from this deal: open, or the newer deal its contract moved to.',
      ),
      longText(
        DEAL.currentContract,
        'billwerk contract before the change',
        "The contract's plan variant and components when this up/downgrade deal was created.",
      ),
      bool(
        DEAL.contractSynced,
        'Synced with billwerk contract',
        'Yes while billwerk events update this deal; an executed up/downgrade hands over to the new deal.',
      ),
      {
        ...text(
          DEAL.ownedContractId,
          'billwerk contract (owner)',
          'The billwerk contract this deal follows. Unique: only one deal can hold a contract here, so billwerk events find their deal directly. Moves to the new deal when an up/downgrade is executed.',
        ),
        hasUniqueValue: true,
      },
      bool(DEAL.paymentEscalated, 'Payment escalated', 'billwerk dunning escalated a payment of this contract.'),
      dateTime(
        DEAL.paymentEscalationDueDate,
        'Escalated payment due date',
        'Due date of the oldest unpaid receivable billwerk escalated (PaymentEscalated event). Empty when not escalated.',
      ),
      number(
        DEAL.paymentEscalationTriggerDays,
        'Escalation trigger days',
        'Days past that due date at the last escalation step billwerk reported. Empty when not escalated.',
      ),
      dateTime(DEAL.paymentEscalationResetAt, 'Escalation reset at', 'When billwerk last reported that the payment escalation was reset.'),
      number(DEAL.balance, 'billwerk balance', 'Contract balance in billwerk (negative = customer owes).'),
      text(DEAL.currency, 'billwerk currency', 'Currency of the contract.'),
      dateTime(DEAL.billedUntil, 'Billed until', 'The contract is billed up to this date.'),
      dateTime(DEAL.nextBillingDate, 'Next billing date', 'Next regular billing of the contract.'),
      text(DEAL.lifecycleStatus, 'Lifecycle status', 'billwerk contract lifecycle status.'),
      text(DEAL.paymentProvider, 'Payment provider', 'Payment provider of the contract.'),
      text(DEAL.paymentMethod, 'Payment method', 'Payment method of the contract.'),
      dateTime(DEAL.endDate, 'Contract end date', 'End date of the contract, once it is cancelled.'),
      text(DEAL.lastInvoiceNumber, 'Last invoice number', 'Newest billwerk invoice of the contract.'),
      number(DEAL.lastInvoiceTotal, 'Last invoice total', 'Gross total of the newest invoice.'),
      dateTime(DEAL.lastInvoiceDate, 'Last invoice date', 'Document date of the newest invoice.'),
      dateTime(DEAL.billingSyncedAt, 'Billing state updated at', 'When the billing state was last read from billwerk.'),
      longText(
        DEAL.syncError,
        'billwerk sync error',
        'Last error while talking to billwerk, in plain words. Empty when the last sync worked.',
      ),
      text(
        DEAL.applyProgress,
        'billwerk apply progress',
        'Which steps of the last apply are done (order, commit, company, contact, note, deal), so the next click resumes at the first unfinished one.',
      ),
    ]),
    ...defs('companies', [
      entity,
      text(COMPANY.customerId, 'billwerk customer id', 'The billwerk customer this company is linked to.'),
      text(COMPANY.externalCustomerId, 'billwerk customer external id', 'External customer id sent to billwerk (unique there).', false),
      text(COMPANY.locale, 'Locale', 'Locale of the billwerk customer, e.g. de-DE or en-GB.', false),
      text(COMPANY.street, 'Street', 'Street of the billing address.', false),
      text(COMPANY.houseNumber, 'House number', 'House number of the billing address.', false),
      text(COMPANY.vatId, 'VAT ID', 'VAT identification number.', false),
      select(
        COMPANY.defaultBearerMedium,
        'Default bearer medium',
        'How billwerk dispatches invoices to this customer.',
        BEARER_MEDIUM_LABELS,
      ),
      text(COMPANY.eInvoicingReceiverId, 'E-Invoicing Receiver ID', 'Receiver id in the e-invoicing network (EInvoicing only).', false),
      select(COMPANY.eInvoicingNetwork, 'E-Invoicing Network', 'E-invoicing network (EInvoicing only).', {
        [EINVOICING_NETWORK.finvoice]: 'Finvoice',
        [EINVOICING_NETWORK.peppol]: 'Peppol',
      }),
      text(COMPANY.buyerReference, 'Buyer Reference', "Buyer's reference printed on e-invoices (EInvoicing only).", false),
      text(COMPANY.destinationCountry, 'Destination country', 'ISO country code used for taxation if it differs from the address.', false),
      select(
        COMPANY.customerSyncStatus,
        'Updated customer in billwerk',
        'Result of the last update of the billwerk customer.',
        {
          [CUSTOMER_SYNC.succeeded]: 'Successfully updated in billwerk',
          [CUSTOMER_SYNC.failed]: 'Update failed',
        },
        true,
      ),
      longText(COMPANY.customerSyncError, 'billwerk customer sync error', 'Why the last customer update failed, in plain words.'),
      dateTime(COMPANY.customerSyncedAt, 'billwerk customer updated at', 'When the billwerk customer was last updated.'),
      {
        ...text(
          LEASE.key,
          'billwerk connector lock',
          "Set only on the connector's own lock records (not on customers): which run holds a lock, e.g. an apply of one deal. Unique, so HubSpot itself refuses a second holder. Do not edit; the connector deletes these records when the run ends.",
        ),
        hasUniqueValue: true,
      },
      text(LEASE.holder, 'billwerk connector lock holder', 'Which run holds the lock (connector lock records only).'),
      text(
        LEASE.expiresAt,
        'billwerk connector lock expires at',
        'When the lock lapses if its run died (ISO time; connector lock records only).',
      ),
    ]),
    ...defs('contacts', [
      entity,
      text(CONTACT.customerId, 'billwerk customer id', 'The billwerk customer this contact is the person of.'),
      select(
        CONTACT.customerSyncStatus,
        'Updated customer in billwerk',
        'Result of the last update of the billwerk customer.',
        {
          [CUSTOMER_SYNC.succeeded]: 'Successfully updated in billwerk',
          [CUSTOMER_SYNC.failed]: 'Update failed',
        },
        true,
      ),
      longText(CONTACT.customerSyncError, 'billwerk customer sync error', 'Why the last customer update failed, in plain words.'),
      dateTime(CONTACT.customerSyncedAt, 'billwerk customer updated at', 'When the billwerk customer was last updated.'),
    ]),
    ...defs('products', [
      select(
        PRODUCT.itemType,
        'billwerk item type',
        'Plan variant, component or discount this product came from.',
        {
          [ITEM_TYPE.planVariant]: 'Plan variant',
          [ITEM_TYPE.component]: 'Component',
          [ITEM_TYPE.discount]: 'Discount',
        },
        true,
      ),
      text(PRODUCT.itemId, 'billwerk item id', 'Id of the billwerk plan variant, component or discount.'),
      {
        ...text(
          PRODUCT.key,
          'billwerk product key',
          'Entity and billwerk item id of this product. Unique: HubSpot itself refuses a second product for one billwerk item, so the sync can never create duplicates. Do not edit.',
        ),
        hasUniqueValue: true,
      },
      { ...entity, connectorOwned: true },
      text(PRODUCT.planId, 'billwerk plan id', 'Plan of the plan variant.'),
      text(PRODUCT.planGroupId, 'billwerk plan group id', 'Plan group (currency) of the item.'),
      text(PRODUCT.currency, 'billwerk currency', 'Currency of the price.'),
      text(PRODUCT.billingPeriod, 'billwerk billing period', 'Billing or fee period, e.g. 1 Month.'),
      select(
        PRODUCT.priceModel,
        'billwerk price model',
        'Flat prices are exact; Tiered and Percent prices are computed by billwerk at validation.',
        {
          [PRICE_MODEL.flat]: 'Flat',
          [PRICE_MODEL.tiered]: 'Tiered (priced by billwerk)',
          [PRICE_MODEL.percent]: 'Percent discount',
        },
        true,
      ),
      text(PRODUCT.contentHash, 'billwerk content hash', 'Fingerprint of the synced billwerk data; unchanged items are not rewritten.'),
    ]),
  ];
}

/** Property groups the connector creates. The custom-fields group holds the admin's own mapped properties. */
export const PROPERTY_GROUPS: PropertyGroupDefinition[] = [
  ...(['deals', 'companies', 'contacts', 'products'] as const).map((objectType) => ({
    objectType,
    name: GROUP.billwerk,
    label: GROUP_LABELS[GROUP.billwerk]!,
  })),
  ...(['deals', 'companies'] as const).map((objectType) => ({
    objectType,
    name: GROUP.customFields,
    label: GROUP_LABELS[GROUP.customFields]!,
  })),
];

/** Label of an option value, e.g. optionLabel(DEAL.validation, 'SuccessfullyValidated') === 'Successfully validated'. */
export function optionLabel(
  propertyName: string,
  value: string | null | undefined,
  objectType: CrmObjectType = 'deals',
): string | undefined {
  if (!value) return undefined;
  const def = propertyCatalog([]).find((p) => p.objectType === objectType && p.name === propertyName);
  return def?.options?.find((o) => o.value === value)?.label;
}

/** Names of the connector's properties on one object type, e.g. to fetch them all. */
export function catalogPropertyNames(objectType: CrmObjectType): string[] {
  return propertyCatalog([])
    .filter((p) => p.objectType === objectType)
    .map((p) => p.name);
}
