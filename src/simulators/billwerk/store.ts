/**
 * The simulated billwerk's data, partitioned by legal entity: customers, catalog, orders, contracts
 * and invoices, with billwerk's rules (validation messages, duplicate external ids, order lifecycle)
 * and the webhook events each change raises. Routes (routes.ts) translate HTTP to these methods;
 * tests, benchmarks and the sandbox call them directly to arrange state.
 */
import type {
  Component,
  Contract,
  Customer,
  Discount,
  Invoice,
  OrderInput,
  Period,
  Plan,
  PlanGroup,
  PlanVariant,
  WebhookEvent,
} from '../../core/billwerk/schemas.js';
import { DEMO_ENTITIES } from '../constants.js';
import { componentPrice, priceSignup, priceUpgrade, textOf, type LineItem, type PriceResult, type SignupPricing } from './pricing.js';
import { addPeriod, createIdGenerator, isPeriodUnit, parseTime, round2, toBillwerkTime } from './time.js';

/** A billwerk rule was broken: routes answer `status` with `{ Message }`. */
export class BillwerkStoreError extends Error {
  override name = 'BillwerkStoreError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (kind: string, id: string) => new BillwerkStoreError(404, `${kind} with id ${id} not found`);
const invalid = (message: string) => new BillwerkStoreError(422, message);

export interface ComponentSubscription {
  Id: string;
  ComponentId: string;
  Quantity: number;
  StartDate: string;
  EndDate?: string | null;
  [key: string]: unknown;
}

export type StoredContract = Contract & {
  ComponentSubscriptions: ComponentSubscription[];
  DiscountSubscriptions: { Id: string; DiscountId: string; StartDate: string }[];
};
export type StoredOrder = Record<string, unknown> & {
  Id: string;
  Status: string;
  OrderType: 'Signup' | 'Upgrade';
  CustomerId?: string;
  ContractId?: string;
  Currency: string;
  Input: OrderInput;
  CreatedAt: string;
};
export type StoredInvoice = Invoice & { LineItems: LineItem[] };

export interface EntityData {
  customers: Map<string, Customer>;
  contracts: Map<string, StoredContract>;
  orders: Map<string, StoredOrder>;
  invoices: Map<string, StoredInvoice>;
  planGroups: Map<string, PlanGroup>;
  plans: Map<string, Plan>;
  planVariants: Map<string, PlanVariant>;
  components: Map<string, Component>;
  discounts: Map<string, Discount>;
}

export type CatalogKind = 'planGroups' | 'plans' | 'planVariants' | 'components' | 'discounts';
export type EventListener = (event: WebhookEvent) => void;

/** What `setContractState` may change (billwerk changes these through billing runs, payments and dunning). */
export type ContractStatePatch = Partial<
  Pick<
    Contract,
    | 'Balance'
    | 'EndDate'
    | 'LifecycleStatus'
    | 'BilledUntil'
    | 'LastBillingDate'
    | 'NextBillingDate'
    | 'PaymentProvider'
    | 'PaymentProviderRole'
    | 'PaymentBearer'
    | 'EscalationSuspended'
    | 'CustomFields'
    | 'OnAccountDueAfter'
    | 'ExternalId'
  >
>;

/**
 * An open payment escalation (dunning) of a contract. billwerk keeps this out of the contract resource
 * (contracts have no escalation field); it is only visible through the PaymentEscalated /
 * PaymentEscalationReset webhooks.
 */
export interface PaymentEscalation {
  DueDate: string;
  TriggerDays: number;
  PaymentEscalationProcessId: string;
}

const CATALOG_EVENT_PREFIX: Record<CatalogKind, string> = {
  planGroups: 'PlanGroup',
  plans: 'Plan',
  planVariants: 'PlanVariant',
  components: 'Component',
  discounts: 'Discount',
};
const CATALOG_ID_FIELD: Record<CatalogKind, string> = {
  planGroups: 'PlanGroupId',
  plans: 'PlanId',
  planVariants: 'PlanVariantId',
  components: 'ComponentId',
  discounts: 'DiscountId',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DEFAULT_DUE_DAYS = 14;

export interface StoreOptions {
  now?: () => number;
  /** Legal entity ids, root first (default: DEMO_ENTITIES). */
  entityIds?: string[];
}

export class BillwerkStore {
  readonly entityIds: string[];
  readonly now: () => number;
  readonly newId: () => string;
  private readonly data = new Map<string, EntityData>();
  private readonly listeners = new Set<EventListener>();
  private invoiceCounter = 0;
  private changeCounter = 0;
  private readonly escalations = new Map<string, PaymentEscalation>();

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.newId = createIdGenerator(this.now);
    this.entityIds = options.entityIds ?? DEMO_ENTITIES.map((e) => e.id);
    for (const id of this.entityIds) this.data.set(id, emptyEntity());
  }

  get rootEntityId(): string {
    return this.entityIds[0]!;
  }

  /** The entity's data; unknown entity ids are a 403 like a token without access. */
  entity(entityId?: string | null): EntityData {
    const data = this.data.get(entityId ?? this.rootEntityId);
    if (!data) throw new BillwerkStoreError(403, `Legal entity ${entityId} is not accessible with this client`);
    return data;
  }

  addEntity(entityId: string): void {
    if (!this.data.has(entityId)) {
      this.data.set(entityId, emptyEntity());
      this.entityIds.push(entityId);
    }
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(entityId: string | undefined, event: Omit<WebhookEvent, 'EntityId'>): void {
    const full = { ...event, EntityId: entityId ?? this.rootEntityId } as WebhookEvent;
    for (const listener of this.listeners) listener(full);
  }

  private time(ms = this.now()): string {
    return toBillwerkTime(ms);
  }

  // -------------------------------------------------------------------------------------------------
  // Customers

  addCustomer(input: Record<string, unknown>, entityId?: string): Customer {
    const data = this.entity(entityId);
    validateCustomer(input, 'Customer');
    this.assertUniqueExternalId(data, input.ExternalCustomerId);
    const customer = {
      ...stripReadOnly(input),
      Id: this.newId(),
      CreatedAt: this.time(),
      Hidden: false,
      CustomerType: input.CustomerType ?? (input.CompanyName ? 'Business' : 'Consumer'),
    } as Customer;
    data.customers.set(customer.Id, customer);
    this.emit(entityId, { Event: 'CustomerCreated', CustomerId: customer.Id });
    return customer;
  }

  getCustomer(id: string, entityId?: string): Customer {
    const customer = this.entity(entityId).customers.get(id);
    if (!customer) throw notFound('Customer', id);
    return customer;
  }

  /** PATCH semantics: only given fields change; Address and CustomFields merge key by key. */
  updateCustomer(id: string, patch: Record<string, unknown>, entityId?: string): Customer {
    const data = this.entity(entityId);
    const current = this.getCustomer(id, entityId);
    validateCustomer({ ...current, ...patch }, 'Customer');
    if (patch.ExternalCustomerId !== undefined && patch.ExternalCustomerId !== current.ExternalCustomerId)
      this.assertUniqueExternalId(data, patch.ExternalCustomerId, id);
    const next = { ...current, ...stripReadOnly(patch), Id: id } as Customer;
    for (const nested of ['Address', 'CustomFields'] as const) {
      if (isRecord(patch[nested]) && isRecord(current[nested])) next[nested] = { ...current[nested], ...patch[nested] } as never;
    }
    data.customers.set(id, next);
    return next;
  }

  /** `?search=` (company, names, email, external id; case-insensitive) and `?externalId=` (exact). */
  findCustomers(filter: { search?: string; externalId?: string }, entityId?: string): Customer[] {
    const needle = filter.search?.trim().toLowerCase();
    return [...this.entity(entityId).customers.values()].filter((c) => {
      if (c.Hidden) return false;
      if (filter.externalId !== undefined && c.ExternalCustomerId !== filter.externalId) return false;
      if (!needle) return true;
      return [
        c.CompanyName,
        c.FirstName,
        c.LastName,
        c.EmailAddress,
        c.ExternalCustomerId,
        `${c.FirstName ?? ''} ${c.LastName ?? ''}`,
      ].some((v) => typeof v === 'string' && v.toLowerCase().includes(needle));
    });
  }

  private assertUniqueExternalId(data: EntityData, externalId: unknown, exceptId?: string): void {
    if (typeof externalId !== 'string' || !externalId) return;
    const clash = [...data.customers.values()].find((c) => c.ExternalCustomerId === externalId && c.Id !== exceptId);
    if (clash) throw new BillwerkStoreError(409, `A customer with ExternalCustomerId '${externalId}' already exists (${clash.Id})`);
  }

  // -------------------------------------------------------------------------------------------------
  // Catalog

  /** Creates or replaces a catalog item (keeps the id if given) and emits *Created / *Changed. */
  upsert<K extends CatalogKind>(
    kind: K,
    item: Partial<EntityData[K] extends Map<string, infer T> ? T : never>,
    entityId?: string,
  ): EntityData[K] extends Map<string, infer T> ? T : never {
    const map = this.entity(entityId)[kind] as Map<string, { Id: string }>;
    const id = (item as { Id?: string }).Id ?? this.newId();
    const existed = map.has(id);
    const stored = { Hidden: false, ...(existed ? map.get(id) : {}), ...item, Id: id };
    map.set(id, stored);
    this.emit(entityId, { Event: `${CATALOG_EVENT_PREFIX[kind]}${existed ? 'Changed' : 'Created'}`, [CATALOG_ID_FIELD[kind]]: id });
    return stored as never;
  }

  upsertPlanGroup(item: Partial<PlanGroup>, entityId?: string): PlanGroup {
    return this.upsert('planGroups', item, entityId);
  }

  upsertPlan(item: Partial<Plan>, entityId?: string): Plan {
    return this.upsert('plans', item, entityId);
  }

  /** PlanGroupId is taken from the plan when not given. */
  upsertPlanVariant(item: Partial<PlanVariant> & { PlanId: string }, entityId?: string): PlanVariant {
    const plan = this.entity(entityId).plans.get(item.PlanId);
    return this.upsert('planVariants', { ...item, PlanGroupId: item.PlanGroupId ?? plan?.PlanGroupId }, entityId);
  }

  upsertComponent(item: Partial<Component>, entityId?: string): Component {
    return this.upsert('components', { ComponentType: 'QuantityBased', ...item }, entityId);
  }

  upsertDiscount(item: Partial<Discount>, entityId?: string): Discount {
    return this.upsert('discounts', item, entityId);
  }

  /** Hidden items stay listed (with Hidden: true) but cannot be ordered. */
  hide(kind: CatalogKind, id: string, entityId?: string): void {
    const item = this.catalogItem(kind, id, entityId);
    this.upsert(kind, { ...item, Hidden: true } as never, entityId);
  }

  hidePlanVariant(id: string, entityId?: string): void {
    this.hide('planVariants', id, entityId);
  }

  hideComponent(id: string, entityId?: string): void {
    this.hide('components', id, entityId);
  }

  deleteCatalogItem(kind: CatalogKind, id: string, entityId?: string): void {
    if (!(this.entity(entityId)[kind] as Map<string, unknown>).delete(id)) throw notFound(CATALOG_EVENT_PREFIX[kind], id);
    this.emit(entityId, { Event: `${CATALOG_EVENT_PREFIX[kind]}Deleted`, [CATALOG_ID_FIELD[kind]]: id });
  }

  catalogItem<K extends CatalogKind>(kind: K, id: string, entityId?: string): EntityData[K] extends Map<string, infer T> ? T : never {
    const item = (this.entity(entityId)[kind] as Map<string, unknown>).get(id);
    if (!item) throw notFound(CATALOG_EVENT_PREFIX[kind], id);
    return item as never;
  }

  list<K extends keyof EntityData>(kind: K, entityId?: string): (EntityData[K] extends Map<string, infer T> ? T : never)[] {
    return [...(this.entity(entityId)[kind] as Map<string, never>).values()];
  }

  // -------------------------------------------------------------------------------------------------
  // Contracts

  getContract(id: string, entityId?: string): StoredContract {
    const contract = this.entity(entityId).contracts.get(id);
    if (!contract) throw notFound('Contract', id);
    return contract;
  }

  /** A contract as if signed up earlier (for tests): variant, components, dates; no order, no invoice. */
  addContract(
    input: {
      CustomerId: string;
      PlanVariantId: string;
      StartDate?: string;
      ComponentSubscriptions?: { ComponentId: string; Quantity: number }[];
    } & Partial<Contract>,
    entityId?: string,
  ): StoredContract {
    const data = this.entity(entityId);
    this.getCustomer(input.CustomerId, entityId);
    const variant = this.catalogItem('planVariants', input.PlanVariantId, entityId);
    const start = parseTime(input.StartDate) ?? this.now();
    const contract = this.newContract(data, {
      customerId: input.CustomerId,
      variant,
      start,
      components: input.ComponentSubscriptions ?? [],
      discounts: [],
      customFields: {},
    });
    Object.assign(contract, stripReadOnly(input), { ComponentSubscriptions: contract.ComponentSubscriptions });
    data.contracts.set(contract.Id, contract);
    return contract;
  }

  /** PATCH /contracts/{id}: CustomFields (merged), OnAccountDueAfter, ExternalId, EndDate. Emits ContractDataChanged. */
  updateContract(id: string, patch: Record<string, unknown>, entityId?: string): StoredContract {
    const contract = this.getContract(id, entityId);
    const allowed = ['CustomFields', 'OnAccountDueAfter', 'ExternalId', 'EndDate', 'Notes'];
    const unknown = Object.keys(patch).filter((k) => !allowed.includes(k));
    if (unknown.length) throw invalid(`The field(s) ${unknown.join(', ')} cannot be changed with PATCH /contracts`);
    if (patch.OnAccountDueAfter !== undefined && patch.OnAccountDueAfter !== null)
      validatePeriod(patch.OnAccountDueAfter, 'OnAccountDueAfter');
    if (patch.CustomFields !== undefined && !isRecord(patch.CustomFields))
      throw invalid('CustomFields must be an object of name/value pairs');
    if (patch.EndDate !== undefined && patch.EndDate !== null && parseTime(String(patch.EndDate)) === undefined)
      throw invalid('EndDate is not a valid date');
    const mergedFields = isRecord(patch.CustomFields) ? { ...(contract.CustomFields ?? {}), ...patch.CustomFields } : undefined;
    Object.assign(contract, patch, mergedFields ? { CustomFields: mergedFields } : {});
    this.emit(entityId, { Event: 'ContractDataChanged', ContractId: id, CustomerId: contract.CustomerId });
    return contract;
  }

  /**
   * What billwerk's billing does to a contract: balance, end date, lifecycle ... Emits ContractChanged,
   * ContractCancelled when an end date appears, and PaymentEscalationReset when the balance of an
   * escalated contract is cleared (billwerk resets an escalation once the whole balance is paid).
   */
  setContractState(id: string, patch: ContractStatePatch, entityId?: string): StoredContract {
    const contract = this.getContract(id, entityId);
    const hadEnd = Boolean(contract.EndDate);
    Object.assign(contract, patch);
    if (contract.EndDate && parseTime(contract.EndDate)! <= this.now()) contract.LifecycleStatus = patch.LifecycleStatus ?? 'Ended';
    this.contractChanged(entityId, contract, 'Timebased');
    if (!hadEnd && contract.EndDate) this.emit(entityId, { Event: 'ContractCancelled', ContractId: id, CustomerId: contract.CustomerId });
    if (this.escalations.has(id) && (contract.Balance ?? 0) >= 0) this.resetPaymentEscalation(id, entityId);
    return contract;
  }

  /**
   * billwerk's dunning runs an escalation step for the contract's oldest unpaid receivable: emits
   * PaymentEscalated exactly as documented (docu.billwerk.plus "Payment Escalated"): ContractId,
   * CustomerId, TriggerDays, DueDate, PaymentEscalationProcessId, EntityId. The due date defaults to
   * TriggerDays before now.
   */
  escalatePayment(id: string, step: { TriggerDays?: number; DueDate?: string } = {}, entityId?: string): PaymentEscalation {
    const contract = this.getContract(id, entityId);
    const triggerDays = step.TriggerDays ?? 14;
    const escalation: PaymentEscalation = {
      DueDate: step.DueDate ?? this.time(this.now() - triggerDays * 86_400_000),
      TriggerDays: triggerDays,
      PaymentEscalationProcessId: this.escalations.get(id)?.PaymentEscalationProcessId ?? this.newId(),
    };
    this.escalations.set(id, escalation);
    this.emit(entityId, { Event: 'PaymentEscalated', ContractId: id, CustomerId: contract.CustomerId, ...escalation });
    return escalation;
  }

  /** Reset of the escalation (automatic on payment, or manual): emits PaymentEscalationReset {ContractId, CustomerId}. */
  resetPaymentEscalation(id: string, entityId?: string): void {
    const contract = this.getContract(id, entityId);
    this.escalations.delete(id);
    this.emit(entityId, { Event: 'PaymentEscalationReset', ContractId: id, CustomerId: contract.CustomerId });
  }

  /** The open escalation of a contract (what billwerk's UI shows), undefined when none. */
  paymentEscalationOf(id: string): PaymentEscalation | undefined {
    return this.escalations.get(id);
  }

  private contractChanged(entityId: string | undefined, contract: StoredContract, changeType: string): void {
    const customer = this.entity(entityId).customers.get(contract.CustomerId);
    this.emit(entityId, {
      Event: 'ContractChanged',
      ContractId: contract.Id,
      CustomerId: contract.CustomerId,
      ExternalCustomerId: customer?.ExternalCustomerId ?? null,
      ContractChangeId: (++this.changeCounter).toString(16).padStart(24, '0'),
      ContractChangeType: changeType,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Invoices

  getInvoice(id: string, entityId?: string): StoredInvoice {
    const invoice = this.entity(entityId).invoices.get(id);
    if (!invoice) throw notFound('Invoice', id);
    return invoice;
  }

  /** Newest first (DocumentDate, then creation). */
  listInvoices(filter: { contractId?: string; customerId?: string }, entityId?: string): StoredInvoice[] {
    return [...this.entity(entityId).invoices.values()]
      .filter(
        (i) => (!filter.contractId || i.ContractId === filter.contractId) && (!filter.customerId || i.CustomerId === filter.customerId),
      )
      .sort((a, b) => (b.DocumentDate ?? '').localeCompare(a.DocumentDate ?? '') || b.Id.localeCompare(a.Id));
  }

  /**
   * An invoice for the contract: the given price, or the next regular period (a billing run), which
   * moves BilledUntil/NextBillingDate on and lowers the balance. Emits InvoiceCreated.
   */
  createInvoice(contractId: string, entityId?: string, price?: PriceResult): StoredInvoice {
    const data = this.entity(entityId);
    const contract = this.getContract(contractId, entityId);
    const priced = price ?? this.billingRun(contract, entityId);
    const dueDays = contract.OnAccountDueAfter?.Unit === 'Day' ? contract.OnAccountDueAfter.Quantity : DEFAULT_DUE_DAYS;
    const now = this.now();
    const invoice: StoredInvoice = {
      Id: this.newId(),
      InvoiceNumber: `RE-${new Date(now).getUTCFullYear()}-${String(++this.invoiceCounter).padStart(5, '0')}`,
      CustomerId: contract.CustomerId,
      ContractId: contract.Id,
      ExternalCustomerId: data.customers.get(contract.CustomerId)?.ExternalCustomerId ?? null,
      DocumentDate: this.time(now),
      DueDate: this.time(now + dueDays * 86_400_000),
      Currency: priced.Currency,
      TotalNet: priced.Total,
      TotalVat: priced.TotalVat,
      TotalGross: priced.TotalGross,
      IsInvoice: priced.Total >= 0,
      LineItems: priced.LineItems,
    };
    data.invoices.set(invoice.Id, invoice);
    contract.Balance = round2((contract.Balance ?? 0) - priced.TotalGross);
    contract.LastBillingDate = invoice.DocumentDate;
    this.emit(entityId, { Event: 'InvoiceCreated', InvoiceId: invoice.Id, ContractId: contract.Id, CustomerId: contract.CustomerId });
    return invoice;
  }

  /** Prices the contract's next regular period and moves its billing dates forward. */
  private billingRun(contract: StoredContract, entityId?: string): PriceResult {
    const pricing = this.contractPricing(contract, parseTime(contract.BilledUntil) ?? this.now(), entityId);
    const result = priceSignup({ ...pricing, variant: { ...pricing.variant, SetupFee: 0 } });
    contract.BilledUntil = result.NextTotalGrossDate;
    contract.NextBillingDate = result.NextTotalGrossDate;
    return result;
  }

  // -------------------------------------------------------------------------------------------------
  // Orders

  previewOrder(input: OrderInput, entityId?: string): { Order: Record<string, unknown> } {
    const order = this.priceOrder(input, entityId, { requireCustomer: false });
    return {
      Order: {
        ...order.summary,
        ...(order.contractId ? { ContractId: order.contractId } : {}),
        ...(order.customerId ? { CustomerId: order.customerId } : {}),
      },
    };
  }

  createOrder(input: OrderInput, entityId?: string): StoredOrder {
    const data = this.entity(entityId);
    const priced = this.priceOrder(input, entityId, { requireCustomer: true });
    const order: StoredOrder = {
      Id: this.newId(),
      Status: 'InProgress',
      CreatedAt: this.time(),
      Input: structuredClone(input),
      ...(priced.customerId ? { CustomerId: priced.customerId } : {}),
      ...(priced.contractId ? { ContractId: priced.contractId } : {}),
      ...priced.summary,
      OrderType: priced.type,
      Cart: input.Cart,
    };
    data.orders.set(order.Id, order);
    return order;
  }

  getOrder(id: string, entityId?: string): StoredOrder {
    const order = this.entity(entityId).orders.get(id);
    if (!order) throw notFound('Order', id);
    return order;
  }

  /** An order that was not committed can be deleted; a committed one has a contract and stays. */
  deleteOrder(id: string, entityId?: string): void {
    const order = this.getOrder(id, entityId);
    if (order.Status === 'Completed') throw new BillwerkStoreError(400, `Order ${id} is completed and cannot be deleted`);
    this.entity(entityId).orders.delete(id);
  }

  /**
   * Signup: creates the customer (if the order has one inline) and the contract. Upgrade: changes the
   * contract. Both invoice at once and emit OrderSucceeded + InvoiceCreated (+ CustomerCreated,
   * ContractCreated / ContractChanged). Returns the contract, like billwerk's commit.
   */
  commitOrder(id: string, entityId?: string): StoredContract {
    const data = this.entity(entityId);
    const order = this.getOrder(id, entityId);
    if (order.Status !== 'InProgress') throw new BillwerkStoreError(400, `Order ${id} cannot be committed: its status is ${order.Status}`);
    // The catalog or the customer may have changed since the order was created.
    const priced = this.priceOrder(order.Input, entityId, { requireCustomer: true });
    let contract: StoredContract;
    if (priced.type === 'Signup') {
      const variant = priced.pricing.after.variant;
      if (variant.AllowWithoutPaymentData === false) {
        throw invalid(`Plan variant ${variant.Id} requires payment data; a signup without payment data cannot be committed`);
      }
      const customerId = priced.customerId ?? this.addCustomer(order.Input.Customer ?? {}, entityId).Id;
      const after = priced.pricing.after;
      contract = this.newContract(data, {
        customerId,
        variant,
        start: after.start,
        components: after.components.map((c) => ({ ComponentId: c.component.Id, Quantity: c.quantity })),
        discounts: after.discounts.map((d) => d.Id),
        customFields: order.Input.ContractCustomFields ?? {},
      });
      contract.BilledUntil = priced.summary.NextTotalGrossDate;
      contract.NextBillingDate = priced.summary.NextTotalGrossDate;
      data.contracts.set(contract.Id, contract);
      this.emit(entityId, { Event: 'ContractCreated', ContractId: contract.Id, CustomerId: customerId });
    } else {
      contract = this.getContract(priced.contractId!, entityId);
      this.applyUpgrade(contract, order.Input, priced.changeDate!, entityId);
      this.contractChanged(entityId, contract, 'Upgrade');
    }
    Object.assign(order, { Status: 'Completed', CustomerId: contract.CustomerId, ContractId: contract.Id, CommittedAt: this.time() });
    this.emit(entityId, { Event: 'OrderSucceeded', OrderId: order.Id, ContractId: contract.Id, CustomerId: contract.CustomerId });
    this.createInvoice(contract.Id, entityId, priced.summary);
    return contract;
  }

  private newContract(
    data: EntityData,
    spec: {
      customerId: string;
      variant: PlanVariant;
      start: number;
      components: { ComponentId: string; Quantity: number }[];
      discounts: string[];
      customFields: Record<string, unknown>;
    },
  ): StoredContract {
    const startDate = this.time(spec.start);
    const plan = data.plans.get(spec.variant.PlanId);
    const group = data.planGroups.get(spec.variant.PlanGroupId ?? plan?.PlanGroupId ?? '');
    const end = addPeriod(spec.start, spec.variant.BillingPeriod ?? spec.variant.FeePeriod ?? { Unit: 'Month', Quantity: 1 });
    const phase = { Type: 'Normal', PlanVariantId: spec.variant.Id, PlanId: spec.variant.PlanId, StartDate: startDate, Quantity: 1 };
    return {
      Id: this.newId(),
      CustomerId: spec.customerId,
      PlanGroupId: group?.Id ?? spec.variant.PlanGroupId,
      PlanId: spec.variant.PlanId,
      PlanVariantId: spec.variant.Id,
      Currency: group?.Currency ?? 'EUR',
      Balance: 0,
      StartDate: startDate,
      EndDate: null,
      BilledUntil: this.time(end),
      LastBillingDate: startDate,
      NextBillingDate: this.time(end),
      LifecycleStatus: spec.start > this.now() ? 'Inactive' : 'Active',
      PaymentProvider: 'InvoicePayment',
      PaymentProviderRole: 'OnAccount',
      PaymentBearer: { Type: 'InvoiceAddress' },
      EscalationSuspended: false,
      RecurringPaymentsPaused: false,
      CustomFields: { ...spec.customFields },
      CurrentPhase: phase,
      Phases: [phase],
      ComponentSubscriptions: spec.components.map((c) => ({
        Id: this.newId(),
        ComponentId: c.ComponentId,
        Quantity: c.Quantity,
        StartDate: startDate,
        EndDate: null,
      })),
      DiscountSubscriptions: spec.discounts.map((d) => ({ Id: this.newId(), DiscountId: d, StartDate: startDate })),
    };
  }

  private applyUpgrade(contract: StoredContract, input: OrderInput, changeDate: number, entityId?: string): void {
    const changedAt = this.time(changeDate);
    const cart = input.Cart;
    if (cart.PlanVariantId && cart.PlanVariantId !== contract.PlanVariantId) {
      const variant = this.catalogItem('planVariants', cart.PlanVariantId, entityId);
      const phase = { Type: 'Normal', PlanVariantId: variant.Id, PlanId: variant.PlanId, StartDate: changedAt, Quantity: 1 };
      Object.assign(contract, {
        PlanVariantId: variant.Id,
        PlanId: variant.PlanId,
        CurrentPhase: phase,
        Phases: [...((contract.Phases as unknown[]) ?? []), phase],
      });
    }
    for (const subscriptionId of cart.EndComponentSubscriptions ?? []) {
      const sub = contract.ComponentSubscriptions.find((s) => s.Id === subscriptionId);
      if (sub) sub.EndDate = changedAt;
    }
    for (const c of cart.ComponentSubscriptions ?? []) {
      contract.ComponentSubscriptions.push({
        Id: this.newId(),
        ComponentId: c.ComponentId,
        Quantity: c.Quantity,
        StartDate: changedAt,
        EndDate: null,
      });
    }
    for (const d of cart.DiscountSubscriptions ?? [])
      contract.DiscountSubscriptions.push({ Id: this.newId(), DiscountId: d.DiscountId, StartDate: d.StartDate ?? changedAt });
  }

  /** The contract's current state as pricing input (active component subscriptions summed per component). */
  private contractPricing(contract: StoredContract, start: number, entityId?: string): SignupPricing {
    const data = this.entity(entityId);
    const variant = this.catalogItem('planVariants', contract.PlanVariantId ?? '', entityId);
    const quantities = new Map<string, number>();
    for (const sub of contract.ComponentSubscriptions) {
      if (sub.EndDate && parseTime(sub.EndDate)! <= start) continue;
      quantities.set(sub.ComponentId, (quantities.get(sub.ComponentId) ?? 0) + sub.Quantity);
    }
    return {
      currency: contract.Currency ?? 'EUR',
      planName: textOf(data.plans.get(variant.PlanId)?.Name, 'Plan'),
      variant,
      start,
      components: [...quantities].map(([id, quantity]) => ({ component: this.catalogItem('components', id, entityId), quantity })),
      discounts: contract.DiscountSubscriptions.map((d) => data.discounts.get(d.DiscountId)).filter((d): d is Discount => Boolean(d)),
    };
  }

  /** Validates an order body like billwerk (422 with a message naming the field) and prices it. */
  private priceOrder(input: OrderInput, entityId: string | undefined, options: { requireCustomer: boolean }) {
    const data = this.entity(entityId);
    if (!isRecord(input) || !isRecord(input.Cart)) throw invalid('Cart is required');
    if (input.ContractId) return this.priceUpgradeOrder(input, entityId);

    let customerId: string | undefined;
    if (input.CustomerId) {
      const customer = data.customers.get(input.CustomerId);
      if (!customer || customer.Hidden) throw invalid(`Customer with id ${input.CustomerId} not found`);
      customerId = customer.Id;
    } else if (input.Customer) {
      validateCustomer(input.Customer, 'Customer', { requireEmail: true });
      this.assertUniqueExternalId(data, input.Customer.ExternalCustomerId);
    } else if (options.requireCustomer) {
      throw invalid('Either CustomerId or Customer is required for a signup order');
    }
    if (!input.Cart.PlanVariantId) throw invalid('Cart.PlanVariantId is required for a signup order');
    const variant = this.orderableVariant(data, input.Cart.PlanVariantId);
    const group = data.planGroups.get(variant.PlanGroupId ?? data.plans.get(variant.PlanId)?.PlanGroupId ?? '');
    const start = input.StartDate ? parseTime(input.StartDate) : this.now();
    if (start === undefined) throw invalid('StartDate is not a valid date');
    const pricing: SignupPricing = {
      currency: group?.Currency ?? 'EUR',
      planName: textOf(data.plans.get(variant.PlanId)?.Name, 'Plan'),
      variant,
      start,
      components: this.cartComponents(data, input.Cart.ComponentSubscriptions ?? [], variant, group),
      discounts: this.cartDiscounts(data, input.Cart),
    };
    const summary = priceSignup(pricing);
    return {
      type: 'Signup' as const,
      customerId,
      contractId: undefined,
      changeDate: undefined,
      summary: { ...summary, OrderType: 'Signup' },
      pricing: { after: pricing },
    };
  }

  private priceUpgradeOrder(input: OrderInput, entityId: string | undefined) {
    const data = this.entity(entityId);
    const contract = data.contracts.get(input.ContractId!);
    if (!contract) throw invalid(`Contract with id ${input.ContractId} not found`);
    const changeDate = input.ChangeDate ? parseTime(input.ChangeDate) : this.now();
    if (changeDate === undefined) throw invalid('ChangeDate is not a valid date');
    const endDate = parseTime(contract.EndDate);
    if (endDate !== undefined && endDate <= changeDate)
      throw invalid(`Contract ${contract.Id} has ended on ${contract.EndDate}; it cannot be changed`);
    const before = this.contractPricing(contract, changeDate, entityId);
    const cart = input.Cart;
    const variant = cart.PlanVariantId ? this.orderableVariant(data, cart.PlanVariantId) : before.variant;
    if ((variant.PlanGroupId ?? '') !== (before.variant.PlanGroupId ?? '')) {
      throw invalid(
        `Plan variant ${variant.Id} belongs to another plan group than the contract's plan variant ${before.variant.Id}; change the plan group with a new contract`,
      );
    }
    const group = data.planGroups.get(variant.PlanGroupId ?? '');
    for (const subId of cart.EndComponentSubscriptions ?? []) {
      if (!contract.ComponentSubscriptions.some((s) => s.Id === subId))
        throw invalid(`EndComponentSubscriptions: component subscription ${subId} does not belong to contract ${contract.Id}`);
    }
    const quantities = new Map(before.components.map((c) => [c.component.Id, c.quantity]));
    for (const subId of cart.EndComponentSubscriptions ?? []) {
      const sub = contract.ComponentSubscriptions.find((s) => s.Id === subId)!;
      quantities.set(sub.ComponentId, (quantities.get(sub.ComponentId) ?? 0) - (sub.Quantity ?? 0));
    }
    for (const added of this.cartComponents(data, cart.ComponentSubscriptions ?? [], variant, group)) {
      quantities.set(added.component.Id, (quantities.get(added.component.Id) ?? 0) + added.quantity);
    }
    const after: SignupPricing = {
      ...before,
      variant,
      components: [...quantities].filter(([, q]) => q > 0).map(([id, quantity]) => ({ component: data.components.get(id)!, quantity })),
      discounts: [...before.discounts, ...this.cartDiscounts(data, cart)],
    };
    const periodEnd = parseTime(contract.BilledUntil) ?? addPeriod(changeDate, variant.BillingPeriod ?? { Unit: 'Month', Quantity: 1 });
    const periodStart = parseTime(contract.LastBillingDate) ?? parseTime(contract.StartDate) ?? changeDate;
    const summary = priceUpgrade({
      currency: before.currency,
      planName: before.planName,
      before,
      after,
      periodStart,
      periodEnd,
      changeDate,
    });
    return {
      type: 'Upgrade' as const,
      customerId: contract.CustomerId,
      contractId: contract.Id,
      changeDate,
      summary: { ...summary, OrderType: 'Upgrade' },
      pricing: { after },
    };
  }

  private orderableVariant(data: EntityData, id: string): PlanVariant {
    const variant = data.planVariants.get(id);
    if (!variant) throw invalid(`Plan variant with id ${id} not found`);
    if (variant.Hidden) throw invalid(`Plan variant ${id} is hidden and cannot be ordered`);
    return variant;
  }

  private cartComponents(
    data: EntityData,
    subs: { ComponentId: string; Quantity: number }[],
    variant: PlanVariant,
    group: PlanGroup | undefined,
  ) {
    return subs.map((sub, i) => {
      const component = data.components.get(sub.ComponentId);
      if (!component) throw invalid(`Cart.ComponentSubscriptions[${i}]: component with id ${sub.ComponentId} not found`);
      if (component.Hidden)
        throw invalid(`Cart.ComponentSubscriptions[${i}]: component ${sub.ComponentId} is hidden and cannot be ordered`);
      if (component.PlanGroupId && component.PlanGroupId !== variant.PlanGroupId) {
        const other = data.planGroups.get(component.PlanGroupId);
        throw invalid(
          `Cart.ComponentSubscriptions[${i}]: component ${sub.ComponentId} belongs to plan group ${component.PlanGroupId}${other?.Currency ? ` (${other.Currency})` : ''}, not to the plan group of plan variant ${variant.Id}${group?.Currency ? ` (${group.Currency})` : ''}`,
        );
      }
      if (typeof sub.Quantity !== 'number' || !Number.isFinite(sub.Quantity) || sub.Quantity <= 0) {
        throw invalid(`Cart.ComponentSubscriptions[${i}].Quantity must be a positive number`);
      }
      componentPrice(component, sub.Quantity);
      return { component, quantity: sub.Quantity };
    });
  }

  private cartDiscounts(data: EntityData, cart: OrderInput['Cart']): Discount[] {
    if (cart.CouponCode) throw invalid(`Coupon code '${cart.CouponCode}' is invalid`);
    return (cart.DiscountSubscriptions ?? []).map((d, i) => {
      const discount = data.discounts.get(d.DiscountId);
      if (!discount) throw invalid(`Cart.DiscountSubscriptions[${i}]: discount with id ${d.DiscountId} not found`);
      if (discount.Hidden) throw invalid(`Cart.DiscountSubscriptions[${i}]: discount ${d.DiscountId} is hidden and cannot be ordered`);
      return discount;
    });
  }
}

function emptyEntity(): EntityData {
  return {
    customers: new Map(),
    contracts: new Map(),
    orders: new Map(),
    invoices: new Map(),
    planGroups: new Map(),
    plans: new Map(),
    planVariants: new Map(),
    components: new Map(),
    discounts: new Map(),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stripReadOnly<T extends Record<string, unknown>>(input: T): T {
  const { Id: _id, ...rest } = input;
  return rest as T;
}

function validatePeriod(value: unknown, field: string): asserts value is Period {
  if (!isRecord(value) || !isPeriodUnit(value.Unit) || !Number.isInteger(value.Quantity) || (value.Quantity as number) < 0) {
    throw invalid(`${field} must be {Unit: Day|Week|Month|Year, Quantity: whole number >= 0}`);
  }
}

/** Field checks billwerk makes on customers (names per field, so the rep knows what to fix). */
function validateCustomer(input: Record<string, unknown>, record: string, options: { requireEmail?: boolean } = {}): void {
  const text = (key: string) => (typeof input[key] === 'string' ? (input[key] as string).trim() : '');
  if (!text('CompanyName') && !text('FirstName') && !text('LastName'))
    throw invalid(`${record}: either CompanyName or FirstName/LastName is required`);
  if (options.requireEmail && !text('EmailAddress')) throw invalid(`${record}.EmailAddress is required`);
  if (text('EmailAddress') && !EMAIL.test(text('EmailAddress')))
    throw invalid(`${record}.EmailAddress '${text('EmailAddress')}' is not a valid email address`);
  if (text('Locale') && !/^[a-z]{2}(-[A-Z]{2})?$/.test(text('Locale')))
    throw invalid(`${record}.Locale '${text('Locale')}' is not a supported locale`);
  const address = input.Address;
  if (address !== undefined && address !== null) {
    if (!isRecord(address)) throw invalid(`${record}.Address must be an object`);
    if (
      address.Country !== undefined &&
      address.Country !== null &&
      address.Country !== '' &&
      !/^[A-Z]{2}$/.test(String(address.Country))
    ) {
      throw invalid(`${record}.Address.Country '${String(address.Country)}' must be an ISO 3166 two-letter country code`);
    }
  }
}
