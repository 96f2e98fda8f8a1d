/**
 * Shapes of billwerk REST API replies and requests the connector relies on (PascalCase, as billwerk
 * sends them). Sources for each shape are in docs/billwerk-api.md. Replies are parsed loosely
 * (unknown keys pass through) because billwerk adds fields over time; what we read is checked.
 */
import { z } from 'zod';

const id = z.string().min(1);
const optionalString = z.string().nullish();
const optionalNumber = z.number().nullish();
/** billwerk timestamps: `YYYY-MM-DDTHH:MM:SS.sssssssZ` (up to 7 fraction digits). */
const timestamp = z.string().nullish();
/** Localised text: `{_c: default, de: ..., en: ...}` or a plain string on older objects. */
export const localizedText = z.union([z.string(), z.record(z.string(), z.string())]).nullish();

export const addressSchema = z.looseObject({
  AddressLine1: optionalString,
  AddressLine2: optionalString,
  Street: optionalString,
  HouseNumber: optionalString,
  PostalCode: optionalString,
  City: optionalString,
  State: optionalString,
  Country: optionalString,
});

export const customerSchema = z.looseObject({
  Id: id,
  ExternalCustomerId: optionalString,
  CompanyName: optionalString,
  FirstName: optionalString,
  LastName: optionalString,
  EmailAddress: optionalString,
  PhoneNumber: optionalString,
  VatId: optionalString,
  Locale: optionalString,
  DefaultBearerMedium: optionalString,
  Hidden: z.boolean().nullish(),
  Address: addressSchema.nullish(),
  CustomFields: z.record(z.string(), z.unknown()).nullish(),
  /** E-invoicing fields (JSON names unconfirmed in billwerk's public docs; see docs/billwerk-api.md). */
  EInvoicingReceiverId: optionalString,
  EInvoicingNetwork: optionalString,
  BuyerReference: optionalString,
  DestinationCountry: optionalString,
});
export type Customer = z.infer<typeof customerSchema>;

/** Body for creating or updating a customer: everything but the id. */
export type CustomerInput = Omit<Partial<Customer>, 'Id'>;

export const periodSchema = z.looseObject({ Unit: z.string(), Quantity: z.number() });
export type Period = z.infer<typeof periodSchema>;

export const cartSchema = z.object({
  PlanVariantId: z.string().optional(),
  InheritStartDate: z.boolean().optional(),
  ComponentSubscriptions: z.array(z.object({ ComponentId: id, Quantity: z.number() })).optional(),
  EndComponentSubscriptions: z.array(id).optional(),
  DiscountSubscriptions: z.array(z.object({ DiscountId: id, StartDate: z.string().optional() })).optional(),
  CouponCode: z.string().optional(),
});
export type Cart = z.infer<typeof cartSchema>;

/** Body of POST /orders and POST /orders/preview. */
export const orderInputSchema = z.object({
  CustomerId: z.string().optional(),
  Customer: z.record(z.string(), z.unknown()).optional(),
  ContractId: z.string().optional(),
  Cart: cartSchema,
  StartDate: z.string().optional(),
  ChangeDate: z.string().optional(),
  TriggerInterimBilling: z.boolean().optional(),
  ContractCustomFields: z.record(z.string(), z.unknown()).optional(),
  CustomFields: z.record(z.string(), z.unknown()).optional(),
  DestinationCountry: z.string().optional(),
});
export type OrderInput = z.infer<typeof orderInputSchema>;

export const orderLineItemSchema = z.looseObject({
  Description: optionalString,
  Quantity: optionalNumber,
  PricePerUnit: optionalNumber,
  TotalNet: optionalNumber,
  TotalVat: optionalNumber,
  TotalGross: optionalNumber,
  PeriodStart: timestamp,
  PeriodEnd: timestamp,
});

export const contractSchema = z.looseObject({
  Id: id,
  CustomerId: id,
  ExternalId: optionalString,
  PlanGroupId: optionalString,
  PlanId: optionalString,
  PlanVariantId: optionalString,
  Currency: optionalString,
  Balance: optionalNumber,
  StartDate: timestamp,
  EndDate: timestamp,
  BilledUntil: timestamp,
  LastBillingDate: timestamp,
  NextBillingDate: timestamp,
  LifecycleStatus: optionalString,
  PaymentProvider: optionalString,
  PaymentProviderRole: optionalString,
  PaymentBearer: z.looseObject({ Type: optionalString }).nullish(),
  EscalationSuspended: z.boolean().nullish(),
  CustomFields: z.record(z.string(), z.unknown()).nullish(),
  OnAccountDueAfter: periodSchema.nullish(),
  CurrentPhase: z.looseObject({ Type: optionalString, PlanVariantId: optionalString, StartDate: timestamp }).nullish(),
  ComponentSubscriptions: z.array(z.looseObject({ ComponentId: id, Quantity: optionalNumber, EndDate: timestamp })).nullish(),
});
export type Contract = z.infer<typeof contractSchema>;

/** Amounts of an order, shared by stored orders and previews. */
const orderFigures = {
  Currency: optionalString,
  Total: optionalNumber,
  TotalVat: optionalNumber,
  TotalGross: optionalNumber,
  NextTotalGross: optionalNumber,
  NextTotalGrossDate: timestamp,
  LineItems: z.array(orderLineItemSchema).nullish(),
  Contract: contractSchema.partial().nullish(),
};

export const orderSchema = z.looseObject({
  Id: id,
  Status: optionalString,
  OrderType: optionalString,
  CustomerId: optionalString,
  ContractId: optionalString,
  ...orderFigures,
});
export type Order = z.infer<typeof orderSchema>;

/** Reply of POST /orders/preview: the order as it would be, not stored. */
export const orderPreviewSchema = z.looseObject({
  Order: orderSchema.partial().nullish(),
  ...orderFigures,
});
export type OrderPreview = z.infer<typeof orderPreviewSchema>;

export const planGroupSchema = z.looseObject({ Id: id, Name: localizedText, Currency: optionalString, Hidden: z.boolean().nullish() });
export type PlanGroup = z.infer<typeof planGroupSchema>;

export const planSchema = z.looseObject({ Id: id, PlanGroupId: optionalString, Name: localizedText, Hidden: z.boolean().nullish() });
export type Plan = z.infer<typeof planSchema>;

export const planVariantSchema = z.looseObject({
  Id: id,
  PlanId: id,
  PlanGroupId: optionalString,
  InternalName: optionalString,
  Description: localizedText,
  Hidden: z.boolean().nullish(),
  RecurringFee: optionalNumber,
  SetupFee: optionalNumber,
  FeePeriod: periodSchema.nullish(),
  BillingPeriod: periodSchema.nullish(),
  ContractPeriod: periodSchema.nullish(),
  AllowWithoutPaymentData: z.boolean().nullish(),
  ExternalId: optionalString,
});
export type PlanVariant = z.infer<typeof planVariantSchema>;

export const priceScaleSchema = z.looseObject({
  IsCumulative: z.boolean().nullish(),
  Items: z.array(z.looseObject({ From: z.number(), Value: z.number(), IsBucketPrice: z.boolean().nullish() })),
});

export const componentSchema = z.looseObject({
  Id: id,
  PlanGroupId: optionalString,
  Name: localizedText,
  Description: localizedText,
  ComponentType: optionalString,
  PricePerUnit: optionalNumber,
  PriceScale: priceScaleSchema.nullish(),
  FeePeriod: periodSchema.nullish(),
  Hidden: z.boolean().nullish(),
  ExternalId: optionalString,
});
export type Component = z.infer<typeof componentSchema>;

export const discountSchema = z.looseObject({
  Id: id,
  InternalName: optionalString,
  Name: localizedText,
  Description: localizedText,
  Effect: z.looseObject({ Type: optionalString, ReductionPercent: optionalNumber }).nullish(),
  Duration: periodSchema.nullish(),
  Hidden: z.boolean().nullish(),
});
export type Discount = z.infer<typeof discountSchema>;

export const invoiceSchema = z.looseObject({
  Id: id,
  InvoiceNumber: optionalString,
  CustomerId: optionalString,
  ContractId: optionalString,
  DocumentDate: timestamp,
  DueDate: timestamp,
  Currency: optionalString,
  TotalNet: optionalNumber,
  TotalVat: optionalNumber,
  TotalGross: optionalNumber,
  IsInvoice: z.boolean().nullish(),
});
export type Invoice = z.infer<typeof invoiceSchema>;

/** Webhook bodies: every event has `Event`; ids depend on the event (docs/billwerk-api.md §8). */
export const webhookEventSchema = z.looseObject({
  Event: z.string().min(1),
  EntityId: optionalString,
  ContractId: optionalString,
  CustomerId: optionalString,
  OrderId: optionalString,
  InvoiceId: optionalString,
  PlanVariantId: optionalString,
  PlanId: optionalString,
  ComponentId: optionalString,
  DiscountId: optionalString,
  /** PaymentEscalated: the overdue receivable's due date and the days since (docu.billwerk.plus). */
  DueDate: optionalString,
  TriggerDays: z.number().nullish(),
  PaymentEscalationProcessId: optionalString,
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** billwerk error replies are not documented as one schema; these are the fields seen in practice. */
export const errorBodySchema = z.looseObject({
  Message: optionalString,
  Code: optionalString,
  Details: z.unknown().optional(),
  Errors: z.unknown().optional(),
});
