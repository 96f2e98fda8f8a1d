/**
 * Fingerprint of a deal's line items as billwerk sees them (which product, how many, which SKU, which
 * price), stored at validation as `billwerk_validated_line_items_hash`. Apply and execute compare it
 * with the current line items: a change after validation requires validating again. Order-independent.
 */
import { createHash } from 'node:crypto';
import type { CrmRecord } from '../hubspot/api.js';

const FIELDS = ['hs_product_id', 'quantity', 'price', 'hs_sku'] as const;

export function toLineItemsHash(lineItems: readonly CrmRecord[]): string {
  const rows = lineItems.map((li) => [li.id, ...FIELDS.map((name) => normalize(li.properties[name]))].join('|')).sort();
  return createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 32);
}

/** `2`, `2.0` and `2.00` are the same quantity; blanks and null are the same nothing. */
function normalize(raw: string | null | undefined): string {
  const text = raw?.trim() ?? '';
  if (text !== '' && /^-?\d+(\.\d+)?$/.test(text)) return String(Number(text));
  return text;
}
