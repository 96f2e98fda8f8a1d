/**
 * `npm run deploy:info -- <connected domain> [--token]`: prints what to enter in billwerk's webhook
 * settings (URL, authentication type, every event to tick) and the other public URLs of the connector,
 * from the endpoint paths in src/app/functions/*-hsmeta.json (docs/deploy.md, step 8).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatDeployInfo, toDeployInfo, type EndpointPaths } from '../src/core/settings/deployInfo.js';

const FUNCTIONS_DIR = path.resolve(import.meta.dirname, '../src/app/functions');

function endpointPath(hsmeta: string): string {
  const meta = JSON.parse(readFileSync(path.join(FUNCTIONS_DIR, hsmeta), 'utf8')) as { config: { endpoint?: { path?: string } } };
  const found = meta.config.endpoint?.path;
  if (!found) throw new Error(`${hsmeta} has no endpoint path`);
  return found;
}

export function readEndpointPaths(): EndpointPaths {
  return {
    billwerkWebhook: endpointPath('billwerk-webhook-hsmeta.json'),
    hubspotWebhook: endpointPath('hubspot-webhook-hsmeta.json'),
    productSync: endpointPath('product-sync-trigger-hsmeta.json'),
  };
}

const isEntrypoint = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isEntrypoint) {
  const domain = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  if (!domain) {
    console.error(
      'Usage: npm run deploy:info -- <connected domain> [--token]\n  The connected domain is a domain connected to the portal in HubSpot (Settings › Content › Domains & URLs), e.g. www.example.com.',
    );
    process.exit(1);
  }
  console.log(formatDeployInfo(toDeployInfo(domain, readEndpointPaths(), process.argv.includes('--token') ? 'token' : 'basic')));
}
