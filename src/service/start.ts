/** Starts the service app and its schedule; used by `npm run serve`, the sandbox and tests. */
import { createServer, type AddressInfo } from 'node:net';
import type { Logger } from '../core/log.js';
import { buildServices, redactingLogger, type Env } from '../functions/services.js';
import { buildServiceApp } from './app.js';
import type { ServiceConfig } from './config.js';
import { hubspotScheduleLease } from './lease.js';
import { Schedule, scheduledJobs, type ScheduleLease } from './schedule.js';

export interface StartServiceOptions {
  env: Env;
  logger?: Logger;
  /** Overrides PORT (0: any free port). */
  port?: number;
  /** Overrides HOST. */
  host?: string;
  /** Overrides CONNECTOR_SCHEDULE. */
  schedule?: boolean;
  lease?: ScheduleLease;
  now?: () => Date;
}

export interface RunningService {
  url: string;
  config: ServiceConfig;
  schedule?: Schedule;
  close(): Promise<void>;
}

export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const logger = options.logger ?? redactingLogger('service', options.env);
  const { app, config, env } = buildServiceApp({ env: options.env, logger, ...(options.now ? { now: options.now } : {}) });
  const scheduleOn = options.schedule ?? config.CONNECTOR_SCHEDULE === 'on';
  const schedule = scheduleOn
    ? new Schedule({
        jobs: scheduledJobs({ productSync: config.PRODUCT_SYNC_CRON, reconcile: config.RECONCILE_CRON }),
        env,
        logger,
        lease: options.lease ?? hubspotScheduleLease(() => buildServices(env, 'schedule-lease').hubspot),
      })
    : undefined;
  await app.listen({ port: options.port ?? config.PORT, host: options.host ?? config.HOST });
  schedule?.start();
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    config,
    ...(schedule ? { schedule } : {}),
    async close() {
      await schedule?.stop();
      await app.close();
    },
  };
}

/** A free localhost port, for a service whose URL must be known before it starts (the URL is signed). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
