/**
 * `npm run build:service`: bundles the connector service (src/service/main.ts) with every dependency
 * into dist/service/main.cjs, so the container image needs no `npm install` (the Dockerfile copies
 * the bundle; `docker build` then works offline once the base image is present).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SERVICE_BUNDLE = path.join(ROOT, 'dist', 'service', 'main.cjs');

export async function buildService(): Promise<string> {
  await build({
    entryPoints: [path.join(ROOT, 'src', 'service', 'main.ts')],
    outfile: SERVICE_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'external',
    logLevel: 'warning',
  });
  return SERVICE_BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  buildService().then(
    (file) => console.log(`built ${path.relative(ROOT, file)}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
