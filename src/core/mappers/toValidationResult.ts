/**
 * billwerk order preview -> the short summary reps read on the deal, and the deal properties a
 * validation writes ("Successfully validated" + summary + fingerprint, or "Validation failed" +
 * every reason). Pure.
 */
import { DEAL, VALIDATION } from '../catalog.js';
import type { OrderPreview } from '../billwerk/schemas.js';
import type { Problem } from '../result.js';

export interface PreviewFigures {
  currency?: string;
  /** First invoice, gross (falls back to net when billwerk sends no gross). */
  firstInvoiceTotal?: number;
  firstInvoiceNet?: number;
  nextBillingDate?: string;
  nextTotal?: number;
}

/** billwerk puts the figures at the top level or under `Order` (and the next billing under `Contract`). */
export function toPreviewFigures(preview: OrderPreview): PreviewFigures {
  const order = preview.Order ?? {};
  const pick = <K extends 'Currency' | 'Total' | 'TotalGross' | 'NextTotalGross' | 'NextTotalGrossDate'>(key: K) =>
    preview[key] ?? order[key] ?? undefined;
  const net = pick('Total') ?? undefined;
  const gross = pick('TotalGross');
  const contract = preview.Contract ?? order.Contract ?? undefined;
  return {
    currency: pick('Currency') ?? contract?.Currency ?? undefined,
    firstInvoiceNet: net ?? undefined,
    // billwerk's samples show TotalGross 0.0 beside a non-zero Total: then gross is unknown, not zero.
    firstInvoiceTotal: gross !== undefined && gross !== null && !(gross === 0 && (net ?? 0) !== 0) ? gross : (net ?? undefined),
    nextBillingDate: contract?.NextBillingDate ?? pick('NextTotalGrossDate') ?? undefined,
    nextTotal: pick('NextTotalGross') ?? undefined,
  };
}

export function formatMoney(amount: number | undefined, currency: string | undefined): string {
  if (amount === undefined) return 'unknown';
  return `${amount.toFixed(2)}${currency ? ` ${currency}` : ''}`;
}

export function formatDay(timestamp: string | undefined): string {
  return timestamp ? timestamp.slice(0, 10) : 'not scheduled';
}

export interface SignupSummaryInput {
  preview: OrderPreview;
  customerLabel: string;
  planVariantName?: string;
  paymentTermDays?: number;
  startDate?: string;
  /** Extra lines, e.g. a possible duplicate by company name. */
  notes?: string[];
}

/**
 * What the first invoice is made of, one line per billwerk preview line item: recurring fees with
 * their period, one-time fees (setup fee: a period of no length), then net + VAT = gross. Empty when
 * billwerk sent no line items.
 */
export function toFirstInvoiceLines(preview: OrderPreview): string[] {
  const items = preview.LineItems ?? preview.Order?.LineItems ?? [];
  if (items.length === 0) return [];
  const f = toPreviewFigures(preview);
  const lines = items.map((item) => {
    const once = !item.PeriodStart || !item.PeriodEnd || item.PeriodStart.slice(0, 10) === item.PeriodEnd.slice(0, 10);
    const what = `${item.Description ?? 'Item'}${item.Quantity && item.Quantity !== 1 ? ` × ${item.Quantity}` : ''}`;
    const when = once
      ? 'one-time fee'
      : `recurring fee, ${formatDay(item.PeriodStart ?? undefined)} to ${formatDay(item.PeriodEnd ?? undefined)}`;
    return `  ${what}: ${formatMoney(item.TotalNet ?? undefined, f.currency)} net (${when})`;
  });
  const net = f.firstInvoiceNet;
  const vat =
    preview.TotalVat ??
    preview.Order?.TotalVat ??
    (net !== undefined && f.firstInvoiceTotal !== undefined ? f.firstInvoiceTotal - net : undefined);
  const rate = net && vat !== undefined ? ` (${Math.round((vat / net) * 1000) / 10} %)` : '';
  lines.push(
    `  Net ${formatMoney(net, f.currency)} + VAT ${formatMoney(vat ?? undefined, f.currency)}${rate} = ${formatMoney(f.firstInvoiceTotal, f.currency)}`,
  );
  return lines;
}

export function toSignupSummary(input: SignupSummaryInput): string {
  const f = toPreviewFigures(input.preview);
  return [
    `First invoice: ${formatMoney(f.firstInvoiceTotal, f.currency)}; next billing date: ${formatDay(f.nextBillingDate)}.`,
    ...toFirstInvoiceLines(input.preview),
    `Customer: ${input.customerLabel}.${input.planVariantName ? ` Plan: ${input.planVariantName}.` : ''}`,
    `Start: ${input.startDate ? formatDay(input.startDate) : 'when the contract is created'}.${input.paymentTermDays !== undefined ? ` Payment term: ${input.paymentTermDays} days.` : ''}`,
    ...(input.notes ?? []),
  ].join('\n');
}

export function toValidatedProperties(summary: string, lineItemsHash: string, now: Date): Record<string, string> {
  return {
    [DEAL.validation]: VALIDATION.succeeded,
    [DEAL.validationMessage]: `Successfully validated\n${summary}`,
    [DEAL.validatedAt]: now.toISOString(),
    [DEAL.validatedLineItemsHash]: lineItemsHash,
  };
}

/** `now`: when the check ran, so the card can tell that line items changed after it. */
export function toValidationFailedProperties(problems: readonly Problem[], now?: Date): Record<string, string> {
  return {
    [DEAL.validation]: VALIDATION.failed,
    ...(now ? { [DEAL.validatedAt]: now.toISOString() } : {}),
    [DEAL.validationMessage]: ['Validation failed', ...problems.map((p) => `• ${toProblemLine(p)}`)].join('\n'),
    // A failed validation invalidates the earlier one: apply must not use an old fingerprint.
    [DEAL.validatedLineItemsHash]: '',
  };
}

/** One line per problem, for the messages on the deal: `record – field: message`. */
export function toProblemLine(problem: Problem): string {
  const where = [problem.record, problem.field].filter(Boolean).join(' – ');
  return where ? `${where}: ${problem.message}` : problem.message;
}
