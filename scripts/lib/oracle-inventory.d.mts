/** Path of the reclass 1.7 launcher. */
export const ORACLE: string;
/** True when Debian's python3-reclass (reclass 1.7) can be run. */
export function oracleAvailable(): boolean;
/** A throw-away inventory reclass 1.7 can read: class_paths turned into symlinks under classes/. */
export function mirrorInventory(inventory: string): { dir: string; cleanup: () => void };
/** Runs reclass 1.7 in the mirror with `-b . -o json` and `args`; the parsed JSON. */
export function runOracle(mirrorDir: string, args: string[]): Promise<any>;
/** Full names of the node files directly in nodes_uri (the hand-written ones). */
export function handWrittenNodes(inventory: string): string[];
