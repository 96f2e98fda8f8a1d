/**
 * Browser bundles, built in memory with esbuild (incrementally, so edits show on reload):
 * each UI extension (card or settings page) is its entrypoint from the hsmeta file, bundled with the
 * real `@hubspot/ui-extensions` after the host (host/install.tsx) that plays HubSpot's worker globals.
 */
import { context, type BuildContext, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOST_INSTALL = fileURLToPath(new URL('./host/install.tsx', import.meta.url));
const WORKBENCH_APP = fileURLToPath(new URL('./workbench/app.tsx', import.meta.url));

const OPTIONS = {
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"development"' },
  logLevel: 'silent',
} satisfies BuildOptions;

/**
 * One incremental esbuild context per bundle: the first build takes a moment, every later request
 * rebuilds only what changed, so an edited card shows on the next reload of the workbench.
 */
class IncrementalBundle {
  private context: Promise<BuildContext<typeof OPTIONS>>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(contents: string, name: string, define?: Record<string, string>) {
    this.context = context({
      ...OPTIONS,
      define: { ...OPTIONS.define, ...define },
      stdin: { contents, resolveDir: ROOT, sourcefile: name, loader: 'ts' },
    });
  }

  /** Builds serially (esbuild contexts do not overlap rebuilds). */
  text(): Promise<string> {
    const next = this.queue.then(async () => (await (await this.context).rebuild()).outputFiles[0]!.text);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async dispose(): Promise<void> {
    await (await this.context.catch(() => undefined))?.dispose();
  }
}

export class Bundles {
  private readonly bundles = new Map<string, IncrementalBundle>();

  /** `serviceUrl`: the cards' one door calls the connector service (service mode, src/sandbox/serviceMode.ts). */
  constructor(private readonly options: { serviceUrl?: string } = {}) {}

  /** `sourceFile` is the extension's entrypoint (absolute path). */
  extension(sourceFile: string): Promise<string> {
    // The host import comes first: ES modules evaluate in import order, so the globals exist
    // before `@hubspot/ui-extensions` reads them.
    const define = this.options.serviceUrl ? { __CONNECTOR_SERVICE_URL__: JSON.stringify(this.options.serviceUrl) } : undefined;
    return this.get(sourceFile, `import ${JSON.stringify(HOST_INSTALL)};\nimport ${JSON.stringify(sourceFile)};\n`, define).text();
  }

  workbench(): Promise<string> {
    return this.get(WORKBENCH_APP, `import ${JSON.stringify(WORKBENCH_APP)};\n`).text();
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.bundles.values()].map((b) => b.dispose()));
    this.bundles.clear();
  }

  private get(key: string, contents: string, define?: Record<string, string>): IncrementalBundle {
    let found = this.bundles.get(key);
    if (!found) {
      found = new IncrementalBundle(contents, `${key.split('/').pop()}-entry.ts`, define);
      this.bundles.set(key, found);
    }
    return found;
  }
}
