import type { BillwerkSim } from '../simulators/billwerk/index.js';
import type { HubSpotSim } from '../simulators/hubspot/index.js';
import type { ActivityLog } from './activity.js';
import type { Bundles } from './bundles.js';
import type { CrmView } from './crm.js';
import type { SandboxMode } from './environment.js';
import type { Extension } from './extensions.js';
import type { FunctionHost } from './functions.js';

/** Everything a sandbox request handler may need. */
export interface SandboxContext {
  mode: SandboxMode;
  baseUrl: string;
  crm: CrmView;
  functions: FunctionHost;
  bundles: Bundles;
  activity: ActivityLog;
  extensions: Extension[];
  billwerk?: BillwerkSim;
  hubspot?: HubSpotSim;
  /** Waits until HubSpot and billwerk webhooks raised so far are delivered. */
  settle(): Promise<void>;
  staticFile(name: string): string;
}
