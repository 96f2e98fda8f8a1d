/**
 * `hs project lint` lints each UI-extension folder (src/app/cards, src/app/settings) only when every
 * lint package is in THAT folder's node_modules (it checks `<folder>/node_modules/<package>`, no
 * parent lookup). The root `npm ci` installs them once at the root; this links each folder's
 * node_modules to the root one instead of installing them three times. `hs project upload` skips
 * node_modules, so the links never reach HubSpot.
 */
import { existsSync, lstatSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UI_EXTENSION_FOLDERS = ['src/app/cards', 'src/app/settings', 'src/app/pages'];

for (const folder of UI_EXTENSION_FOLDERS) {
  const dir = path.join(root, folder);
  if (!existsSync(path.join(dir, 'package.json'))) continue;
  const link = path.join(dir, 'node_modules');
  if (isPresent(link)) continue;
  symlinkSync(path.relative(dir, path.join(root, 'node_modules')), link, 'dir');
  console.log(`linked ${folder}/node_modules -> root node_modules`);
}

function isPresent(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
