/**
 * Which model a command works on. reclass reads its config from the working directory, so
 * an operator standing in their model expects it to be used; the embedded example is the
 * last resort, and then the command says so, lest a render of the example's `cmp01` pass
 * for theirs.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The example model shipped at the package root. A function: a command given its model never
 * needs the path, and working it out makes and parses a file URL at every start.
 */
export function embeddedInventory(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

/** Where the inventory came from, as `--verbose` and JSON output name it. */
export type InventorySource = '--inventory' | 'RECLASS_NET_INVENTORY' | 'working directory' | 'embedded example';

export interface InventoryChoice {
  dir: string;
  source: InventorySource;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** True when `dir` holds a reclass-config.yml, or nodes/ and classes/ (reclass's defaults). */
export function looksLikeModel(dir: string): boolean {
  return (
    isFile(join(dir, 'reclass-config.yml')) || (isDirectory(join(dir, 'nodes')) && isDirectory(join(dir, 'classes')))
  );
}

/**
 * `--inventory DIR`, else `RECLASS_NET_INVENTORY`, else the working directory when it is a
 * model, else the embedded example (`embedded` gives its path, asked only then).
 * @example
 * chooseInventory(undefined, process.env, process.cwd(), embeddedInventory);
 * // { dir: '/srv/model', source: 'working directory' }
 */
export function chooseInventory(
  option: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
  embedded: () => string,
): InventoryChoice {
  if (option !== undefined) return { dir: option, source: '--inventory' };
  const fromEnv = env.RECLASS_NET_INVENTORY;
  if (fromEnv !== undefined && fromEnv !== '') return { dir: fromEnv, source: 'RECLASS_NET_INVENTORY' };
  if (looksLikeModel(cwd)) return { dir: resolve(cwd), source: 'working directory' };
  return { dir: embedded(), source: 'embedded example' };
}

/** The one-line notice printed when no model was found and the example is used. */
export function embeddedNotice(cwd: string): string {
  return `reclass-net: no model here (${cwd} has no reclass-config.yml, nor nodes/ and classes/): using the embedded example model; give --inventory DIR or set RECLASS_NET_INVENTORY\n`;
}

/**
 * The inventory a command runs on. main.ts settles it (chooseInventory) before any command
 * runs, so a command without one is a bug of ours, not of the input.
 */
export function chosenInventory(cmd: { inventory?: string }): string {
  if (cmd.inventory === undefined) throw new Error('no inventory was chosen before the command ran');
  return cmd.inventory;
}
