/**
 * `npm start`: the whole connector on localhost. Simulated billwerk and HubSpot (seeded), the app
 * functions served the way HubSpot invokes them, webhooks flowing both ways, and the workbench page
 * that runs the project's real cards and settings page in the browser. With real credentials in the
 * environment a side talks to the real service instead (environment.ts).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { hubspotConfigSchema, readConfig } from '../core/config.js';
import { createHubSpotClient } from '../core/hubspot/client.js';
import { createLogger, redact } from '../core/log.js';
import { overrideServices, resetServices } from '../functions/runtime.js';
import { createBillwerkSimulator, type BillwerkSim } from '../simulators/billwerk/index.js';
import { DEMO_ENTITIES } from '../simulators/constants.js';
import { createHubSpotSimulator, type HubSpotSim } from '../simulators/hubspot/index.js';
import { serveSimulator, type RunningServer } from '../simulators/server.js';
import { ActivityLog } from './activity.js';
import { Bundles } from './bundles.js';
import { HubSpotCrm, SimulatedCrm, type CrmView } from './crm.js';
import { checkRealCredentials, chooseMode, functionSecrets, type SandboxMode } from './environment.js';
import { readExtensions } from './extensions.js';
import { ensureBuilt } from '../runner/build.js';
import { FunctionHost, readAppFunctions } from './functions.js';
import { startHubSpotWebhookFeed } from './hubspotWebhooks.js';
import { Router } from './http.js';
import { registerRoutes } from './routes.js';
import type { SandboxContext } from './context.js';
import { prepareDemo } from './demo.js';
import { registerHubSpotFetchRoute, startSandboxService, type SandboxBackend } from './serviceMode.js';

export interface SandboxOptions {
  /** 0 = any free port (tests). */
  port?: number;
  /** Where real credentials come from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Run the product sync and put line items on the demo signup deal at start (default true). */
  prepareDemo?: boolean;
  /** Also print function log lines to the console (default false: they are in the workbench). */
  echoLogs?: boolean;
  /** `service`: the connector service answers the cards (through a signed hubspot.fetch) and the webhooks (serviceMode.ts). */
  backend?: SandboxBackend;
  /** `runner`: each function call runs its built bundle in a fresh process, as on HubSpot (npm start); default in-process. */
  functions?: 'runner' | 'in-process';
}

export interface SandboxUrls {
  workbench: string;
  settings: string;
  functions: string;
  endpoints: string;
  billwerk?: string;
  hubspot?: string;
  /** The connector service, in service mode. */
  service?: string;
}

export interface Sandbox {
  urls: SandboxUrls;
  mode: SandboxMode;
  /** The simulators (when simulated), for tests and tools. */
  billwerk?: BillwerkSim;
  hubspot?: HubSpotSim;
  close(): Promise<void>;
}

const STATIC_DIR = fileURLToPath(new URL('./workbench/', import.meta.url));

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const env = options.env ?? process.env;
  const mode = chooseMode(env);
  checkRealCredentials(mode, env); // before anything listens
  const activity = new ActivityLog();
  const servers: RunningServer[] = [];

  const billwerk =
    mode.billwerk === 'simulated' ? createBillwerkSimulator({ seed: true, webhooks: { retryDelayMs: 500, maxAttempts: 4 } }) : undefined;
  const hubspot =
    mode.hubspot === 'simulated' ? createHubSpotSimulator({ seed: true, installCatalog: true, entities: DEMO_ENTITIES }) : undefined;
  if (billwerk) servers.push(await serveSimulator(billwerk.simulator));
  if (hubspot) servers.push(await serveSimulator(hubspot.simulator));
  const billwerkUrl = billwerk ? servers[0]!.url : '';
  const hubspotUrl = hubspot ? servers[servers.length - 1]!.url : '';

  const router = new Router();
  const server = createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const secrets = functionSecrets(mode, env, { billwerk: billwerkUrl, hubspot: hubspotUrl, sandbox: baseUrl });
  // Function log lines go to the workbench's activity panel (redacted like in production).
  const sink = (level: string) => (line: string) => {
    const text = redact(line, secrets);
    activity.add('log', text.length > 300 ? `${text.slice(0, 300)}…` : text, level);
    if (options.echoLogs) console.log(text);
  };
  const functionLogger = createLogger('function', { log: sink('info'), warn: sink('warn'), error: sink('error') });
  overrideServices(() => ({ logger: functionLogger }));
  const service = options.backend === 'service' ? await startSandboxService(secrets, functionLogger) : undefined;

  const crm: CrmView = hubspot
    ? new SimulatedCrm(hubspot.store)
    : new HubSpotCrm(createHubSpotClient(readConfig(hubspotConfigSchema, secrets)));
  const runner = options.functions === 'runner' ? { distDir: await ensureBuilt(), onLog: (line: string) => sink('info')(line) } : undefined;
  const functions = new FunctionHost(readAppFunctions(), () => secrets, runner ? { runner } : {});
  const bundles = new Bundles(service ? { serviceUrl: service.config.CONNECTOR_SERVICE_URL } : {});

  // billwerk -> connector: the simulator's webhook emitter calls the local endpoint, authenticated.
  const billwerkEndpoint = service ? `${service.url}/billwerk/events` : `${baseUrl}/hs/serverless/billwerk/events`;
  if (billwerk) {
    billwerk.webhooks.subscribe({
      url: billwerkEndpoint,
      events: '*',
      auth:
        secrets.BILLWERK_WEBHOOK_USER && secrets.BILLWERK_WEBHOOK_PASSWORD
          ? { type: 'basic', user: secrets.BILLWERK_WEBHOOK_USER, password: secrets.BILLWERK_WEBHOOK_PASSWORD }
          : { type: 'none' },
    });
  }
  // HubSpot -> connector: CRM edits in the simulated portal become signed webhook batches.
  const feed = hubspot
    ? startHubSpotWebhookFeed({
        store: hubspot.store,
        targetUrl: service ? `${service.url}/hubspot-events` : secrets.HUBSPOT_WEBHOOK_TARGET_URL!,
        clientSecret: secrets.HUBSPOT_CLIENT_SECRET!,
        onDelivery: (d) =>
          activity.add(
            'hubspot-webhook',
            `HubSpot → connector: ${d.events} property change${d.events === 1 ? '' : 's'} → ${d.status || 'no answer'}`,
            d.status >= 200 && d.status < 300 ? 'ok' : 'failed',
            d.body,
          ),
      })
    : undefined;

  const context: SandboxContext = {
    mode,
    baseUrl,
    crm,
    functions,
    bundles,
    activity,
    extensions: readExtensions(),
    billwerk,
    hubspot,
    staticFile: (name) => readFileSync(`${STATIC_DIR}${name}`, 'utf8'),
    async settle() {
      // A webhook handler may write to the CRM, which raises the next webhook: settle both ways twice.
      for (let round = 0; round < 3; round++) {
        await feed?.flush();
        await billwerk?.webhooks.idle();
      }
    },
  };
  registerRoutes(router, context);
  if (service) registerHubSpotFetchRoute(router, context, service, secrets.HUBSPOT_CLIENT_SECRET!);

  if (options.prepareDemo ?? true)
    await prepareDemo(context).catch((error: unknown) => activity.add('sandbox', `Demo preparation failed: ${String(error)}`, 'failed'));

  const settingsUid = context.extensions.find((e) => e.location === 'settings')?.uid;
  return {
    urls: {
      workbench: `${baseUrl}/`,
      settings: `${baseUrl}/${settingsUid ? `#settings` : ''}`,
      functions: `${baseUrl}/functions/<uid>`,
      endpoints: `${baseUrl}/hs/serverless/<path>`,
      ...(billwerkUrl ? { billwerk: billwerkUrl } : {}),
      ...(hubspotUrl ? { hubspot: hubspotUrl } : {}),
      ...(service ? { service: service.url } : {}),
    },
    mode,
    ...(billwerk ? { billwerk } : {}),
    ...(hubspot ? { hubspot } : {}),
    async close() {
      feed?.stop();
      await service?.close();
      await billwerk?.webhooks.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(servers.map((s) => s.close()));
      await bundles.dispose();
      resetServices();
    },
  };
}
