/**
 * `npm run serve`: the connector service on PORT (default 8080). Configuration from environment
 * variables (docs/service-mode.md); a missing or malformed one is named and the process exits 1.
 * SIGTERM/SIGINT: stop accepting requests, let running requests and scheduled runs finish, exit.
 */
import { ConfigError } from '../core/config.js';
import { redactingLogger } from '../functions/services.js';
import { startService } from './start.js';

async function main(): Promise<void> {
  const logger = redactingLogger('service', process.env);
  const service = await startService({ env: process.env, logger });
  logger.info('connector service listening', {
    url: service.url,
    publicUrl: service.config.CONNECTOR_SERVICE_URL,
    schedule: service.schedule?.nextRuns() ?? 'off',
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // A container host sends SIGKILL after its grace period (Docker: 10 s); finish well before.
    const force = setTimeout(() => process.exit(1), 25_000);
    force.unref();
    void service.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`The connector service cannot start: ${error.problems.join('; ')}.\nSee docs/service-mode.md "Configuration".`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
