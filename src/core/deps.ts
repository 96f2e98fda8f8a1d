import type { BillwerkApi } from './billwerk/api.js';
import type { HubSpotApi } from './hubspot/api.js';
import type { Logger } from './log.js';

/** What every use-case receives. The edge (src/functions/runtime.ts) builds it from the secrets. */
export interface Deps {
  billwerk: BillwerkApi;
  hubspot: HubSpotApi;
  logger: Logger;
  now: () => Date;
}
