/**
 * Offline check of the HubSpot project, as HubSpot's own parser sees it (`hs project upload` uses
 * @hubspot/project-parsing-lib). `translate` throws on duplicate uids and structural errors but
 * skips a `*-hsmeta.json` it cannot parse, so the component count is compared as well.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { translate } from '@hubspot/project-parsing-lib/translate';

export interface ProjectCheck {
  problems: string[];
  /** uid -> component type, as HubSpot's parser returned them. */
  components: Record<string, string>;
}

export async function checkProject(root: string): Promise<ProjectCheck> {
  const project = JSON.parse(await readFile(path.join(root, 'hsproject.json'), 'utf8')) as {
    srcDir: string;
    platformVersion: string;
  };
  const srcDir = path.join(root, project.srcDir);
  const problems: string[] = [];

  let components: Record<string, string> = {};
  try {
    const result = await translate(
      { projectSourceDir: srcDir, platformVersion: project.platformVersion, accountId: 0 },
      { skipValidation: true },
    );
    for (const skipped of result.skippedHsMetaFiles) problems.push(`${skipped}: skipped by HubSpot's parser`);
    const nodes = Object.values(result.intermediateRepresentation.intermediateNodesIndexedByUid);
    components = Object.fromEntries(nodes.filter((n) => n.metaFilePath.endsWith('-hsmeta.json')).map((n) => [n.uid, n.componentType]));
  } catch (error) {
    problems.push(`HubSpot's parser failed: ${error instanceof Error ? error.message : String(error)}`);
    return { problems, components };
  }

  const metaFiles = await findHsmetaFiles(path.join(srcDir, 'app'));
  if (metaFiles.length !== Object.keys(components).length) {
    problems.push(`${metaFiles.length} *-hsmeta.json files but HubSpot's parser returned ${Object.keys(components).length} components`);
  }

  const uids = new Map<string, string>();
  for (const file of metaFiles) {
    const relative = path.relative(srcDir, file);
    let meta: { uid?: unknown; type?: unknown; config?: { entrypoint?: unknown } };
    try {
      meta = JSON.parse(await readFile(file, 'utf8')) as typeof meta;
    } catch (error) {
      problems.push(`${relative}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    const uid = String(meta.uid);
    if (uids.has(uid)) problems.push(`${relative}: uid "${uid}" is also used by ${uids.get(uid)}`);
    uids.set(uid, relative);
    // Cards and the settings page are built by HubSpot from their .tsx entrypoint: it must exist.
    // (App function entrypoints are build output, checked by build.test.ts.)
    if (meta.type === 'card' || meta.type === 'settings') {
      const entrypoint = meta.config?.entrypoint;
      if (typeof entrypoint !== 'string' || !(await isFile(path.join(srcDir, entrypoint)))) {
        problems.push(`${relative}: entrypoint ${JSON.stringify(entrypoint)} does not exist`);
      }
    }
  }
  return { problems, components };
}

async function findHsmetaFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') found.push(...(await findHsmetaFiles(full)));
    } else if (entry.name.endsWith('-hsmeta.json')) {
      found.push(full);
    }
  }
  return found.sort();
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
