/**
 * What the use-cases may ask of billwerk. `BillwerkClient` (client.ts) implements it over axios;
 * tests of pure decisions may fake it. Every method is scoped to one legal entity.
 */
import type { BillwerkEntity } from '../config.js';
import type {
  Component,
  Contract,
  Customer,
  CustomerInput,
  Discount,
  Invoice,
  Order,
  OrderInput,
  OrderPreview,
  Plan,
  PlanGroup,
  PlanVariant,
} from './schemas.js';

/** billwerk's catalog lists, by path. */
export interface CatalogListItem {
  planGroups: PlanGroup;
  plans: Plan;
  planVariants: PlanVariant;
  components: Component;
  discounts: Discount;
}
export type CatalogListKind = keyof CatalogListItem;

export interface CatalogPage<T> {
  items: T[];
  /** Pass as `after` for the next page; undefined after the last page. */
  next?: string;
}

export interface BillwerkEntityApi {
  readonly entity: BillwerkEntity;
  createCustomer(input: CustomerInput): Promise<Customer>;
  getCustomer(id: string): Promise<Customer>;
  /** PATCH: only the passed fields change. */
  updateCustomer(id: string, input: CustomerInput): Promise<Customer>;
  findCustomersByExternalId(externalId: string): Promise<Customer[]>;
  /** Free-text search (name, email, company) over non-deleted customers. */
  searchCustomers(search: string): Promise<Customer[]>;
  /** One page of customers (`take` at most 500), e.g. to see which custom fields billwerk holds. */
  listCustomersPage(take: number): Promise<Customer[]>;
  /** One page of contracts (`take` at most 500). */
  listContractsPage(take: number): Promise<Contract[]>;
  previewOrder(input: OrderInput): Promise<OrderPreview>;
  createOrder(input: OrderInput): Promise<Order>;
  getOrder(id: string): Promise<Order>;
  /** Commits an order; returns the resulting contract. */
  commitOrder(id: string): Promise<Contract>;
  /** Deletes an order that was not committed (documented: `DELETE /api/v1/orders/{id}`, docs/billwerk-api.md 4). */
  deleteOrder(id: string): Promise<void>;
  getContract(id: string): Promise<Contract>;
  /** PATCH a contract (custom fields, individual term of payment). */
  updateContract(id: string, patch: Partial<Pick<Contract, 'CustomFields' | 'OnAccountDueAfter' | 'ExternalId'>>): Promise<Contract>;
  listPlanGroups(): Promise<PlanGroup[]>;
  listPlans(): Promise<Plan[]>;
  listPlanVariants(): Promise<PlanVariant[]>;
  listComponents(): Promise<Component[]>;
  listDiscounts(): Promise<Discount[]>;
  /** One page (billwerk's `take`, at most 500) of a catalog list, after the item with Id `after`. */
  listCatalogPage<K extends CatalogListKind>(kind: K, after?: string): Promise<CatalogPage<CatalogListItem[K]>>;
  getPlan(id: string): Promise<Plan>;
  getPlanVariant(id: string): Promise<PlanVariant>;
  getComponent(id: string): Promise<Component>;
  getDiscount(id: string): Promise<Discount>;
  getInvoice(id: string): Promise<Invoice>;
  /** Newest first. */
  listInvoices(filter: { contractId?: string; customerId?: string }): Promise<Invoice[]>;
}

export interface BillwerkApi {
  /** Configured entities, root first. */
  readonly entities: readonly BillwerkEntity[];
  /** The api of one entity; no id = the root entity. Throws for an unknown entity id. */
  forEntity(entityId?: string | null): BillwerkEntityApi;
}
