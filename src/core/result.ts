/**
 * Business outcomes are values, not exceptions: a rep-fixable problem names the record and field
 * so the card can say it in plain words. Exceptions are for the unexpected (and get logged).
 */
export interface Problem {
  message: string;
  /** e.g. `company "ACME GmbH"` or `line item "Pro plan"`. */
  record?: string;
  /** HubSpot property label or name, e.g. `Postal code`. */
  field?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export const succeed = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = (...problems: Problem[]): Outcome<never> => ({ ok: false, problems });
