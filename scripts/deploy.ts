/**
 * `npm run deploy -- [--mode hosted|service] [--profile <name>] [--dry-run]`
 *
 * hosted (default): bundles the app functions and uploads the project as it is (`hs project upload`).
 * service: uploads a variant WITHOUT app functions, for portals that cannot install an app with
 *   functions (Professional): a copy of the project in a temporary folder without src/app/functions,
 *   whose cards and settings page call the connector service with `hubspot.fetch`:
 *   - `CONNECTOR_SERVICE_URL` from the profile (hsprofile.<name>.json `variables`) goes into
 *     `permittedUrls.fetch` and into the one door the cards and the settings page call;
 *   - the scope `settings.users.read` is added, so the service can tell admins from reps;
 *   - the webhooks component stays; its targetUrl (profile variable HUBSPOT_WEBHOOK_TARGET_URL) must
 *     point at the service's `/hubspot-events`.
 * `--dry-run` builds the variant, checks it with HubSpot's parser and prints the folder, without uploading.
 * Details: docs/service-mode.md.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const USERS_SCOPE = 'settings.users.read';
/** The files holding the backend switch (src/app/cards/shared/serverless.ts, src/app/settings/serverless.ts). */
export const BACKEND_DOORS = ['app/cards/shared/serverless.ts', 'app/settings/serverless.ts'];
const DECLARATION = 'declare const __CONNECTOR_SERVICE_URL__: string | undefined;';

export interface ServiceVariant {
  dir: string;
  serviceUrl: string;
}

/** Copies the project into `outDir` (default: a new temporary folder) as the service-mode variant. */
export async function buildServiceVariant(options: { root?: string; profile: string; outDir?: string }): Promise<ServiceVariant> {
  const root = options.root ?? ROOT;
  const project = JSON.parse(await readFile(path.join(root, 'hsproject.json'), 'utf8')) as { srcDir: string };
  // HubSpot's CLI reads profiles from the project's srcDir (docs/deploy.md); the repository root is accepted too.
  const name = `hsprofile.${options.profile}.json`;
  const candidates = [path.join(root, project.srcDir, name), path.join(root, name)];
  const profileFile = (
    await Promise.all(
      candidates.map((file) =>
        readFile(file, 'utf8').then(
          () => file,
          () => undefined,
        ),
      ),
    )
  ).find(Boolean);
  if (!profileFile)
    throw new Error(
      `No profile ${candidates.map((c) => path.relative(root, c)).join(' or ')} (copy hsprofile.example.json and set its variables)`,
    );
  const profile = JSON.parse(await readFile(profileFile, 'utf8')) as { variables?: Record<string, unknown> };
  const serviceUrl = serviceUrlOf(profile.variables?.CONNECTOR_SERVICE_URL, profileFile);

  const dir = options.outDir ?? (await mkdtemp(path.join(tmpdir(), 'billwerk-connector-service-')));
  const src = path.join(dir, project.srcDir);
  await cp(path.join(root, 'hsproject.json'), path.join(dir, 'hsproject.json'));
  await mkdir(path.dirname(path.join(dir, path.relative(root, profileFile))), { recursive: true });
  await cp(profileFile, path.join(dir, path.relative(root, profileFile)));
  await cp(path.join(root, project.srcDir, 'app'), path.join(src, 'app'), {
    recursive: true,
    // No function components, no built bundles, no installed packages (HubSpot installs the UI folders' own).
    filter: (from) => !/[\\/](functions|node_modules|dist)([\\/]|$)/.test(path.relative(path.join(root, project.srcDir), from)),
  });

  const appMeta = path.join(src, 'app', 'app-hsmeta.json');
  const app = JSON.parse(await readFile(appMeta, 'utf8')) as {
    config: { auth: { requiredScopes: string[] }; permittedUrls: { fetch: string[] } };
  };
  app.config.permittedUrls.fetch = [...new Set([...app.config.permittedUrls.fetch, serviceUrl])];
  if (!app.config.auth.requiredScopes.includes(USERS_SCOPE)) app.config.auth.requiredScopes.push(USERS_SCOPE);
  await writeFile(appMeta, `${JSON.stringify(app, null, 2)}\n`);

  for (const door of BACKEND_DOORS) {
    const file = path.join(src, door);
    const text = await readFile(file, 'utf8');
    if (text.split(DECLARATION).length !== 2) throw new Error(`${door} must declare the service URL exactly once as \`${DECLARATION}\``);
    await writeFile(
      file,
      text.replace(DECLARATION, `const __CONNECTOR_SERVICE_URL__: string | undefined = ${JSON.stringify(serviceUrl)};`),
    );
  }
  return { dir, serviceUrl };
}

function serviceUrlOf(value: unknown, profileFile: string): string {
  const where = `${path.basename(profileFile)} variables.CONNECTOR_SERVICE_URL`;
  if (typeof value !== 'string' || value === '')
    throw new Error(`${where} is missing: the connector service's HTTPS URL, e.g. https://billwerk-connector.example.com`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${where} is not a URL`);
  }
  // HubSpot only fetches https URLs, never localhost (docs/service-mode.md).
  if (url.protocol !== 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
    throw new Error(`${where} must be a public https URL`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', shell: false });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { mode: { type: 'string', default: 'hosted' }, profile: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const profileArgs = values.profile ? ['--profile', values.profile] : [];
  if (values.mode === 'hosted') {
    run('npx', ['tsx', 'scripts/build-functions.ts'], ROOT);
    if (!values['dry-run']) run(path.join(ROOT, 'node_modules', '.bin', 'hs'), ['project', 'upload', ...profileArgs], ROOT);
    return;
  }
  if (values.mode !== 'service') throw new Error(`--mode must be hosted or service, not ${values.mode}`);
  if (!values.profile)
    throw new Error('--mode service needs --profile <name> (hsprofile.<name>.json with variables.CONNECTOR_SERVICE_URL)');
  const variant = await buildServiceVariant({ profile: values.profile });
  console.log(`Service-mode project (no app functions; cards call ${variant.serviceUrl}) in ${variant.dir}`);
  if (values['dry-run']) return;
  try {
    run(path.join(ROOT, 'node_modules', '.bin', 'hs'), ['project', 'upload', ...profileArgs], variant.dir);
  } finally {
    await rm(variant.dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
