/**
 * Terminal versus retryable. Only a failure that waiting can fix (no answer, a timeout, the function's
 * time budget, 408, 429, 5xx) is worth a redelivery; everything else (unknown or unreadable record,
 * 4xx, a business refusal) is acknowledged, logged with context and written onto the record, and the
 * reconciliation sweep heals whatever it left behind once the cause is fixed.
 */

export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = (error as { status?: unknown }).status ?? (error as { response?: { status?: unknown } }).response?.status;
  return typeof candidate === 'number' ? candidate : undefined;
}

/** No answer, a timeout, the time budget, a rate limit or a server error: trying again later may work. */
export function isTransient(error: unknown): boolean {
  // A reply billwerk sent but the connector cannot read will read the same on every redelivery.
  if (error instanceof Error && error.name === 'BillwerkReplyError') return false;
  const status = statusOf(error);
  return status === undefined || status === 0 || status === 408 || status === 429 || status >= 500;
}
