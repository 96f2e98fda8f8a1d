/**
 * What happened in the sandbox, newest last, for the workbench's activity panel: every function call
 * (card-called and endpoint), every webhook delivery in either direction, and the functions' log lines.
 * A bounded ring, so a long-running sandbox does not grow without end.
 */
export type ActivityKind = 'function' | 'endpoint' | 'billwerk-webhook' | 'hubspot-webhook' | 'log' | 'sandbox';

export interface ActivityEntry {
  id: number;
  at: string;
  kind: ActivityKind;
  title: string;
  /** `ok`, `failed`, or a log level. */
  status: string;
  detail?: unknown;
}

export class ActivityLog {
  private readonly entries: ActivityEntry[] = [];
  private nextId = 1;

  constructor(private readonly limit = 500) {}

  add(kind: ActivityKind, title: string, status: string, detail?: unknown): ActivityEntry {
    const entry: ActivityEntry = {
      id: this.nextId++,
      at: new Date().toISOString(),
      kind,
      title,
      status,
      ...(detail !== undefined ? { detail } : {}),
    };
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return entry;
  }

  /** Entries with an id above `after` (the workbench polls with the last id it has). */
  since(after = 0): ActivityEntry[] {
    return this.entries.filter((e) => e.id > after);
  }
}
