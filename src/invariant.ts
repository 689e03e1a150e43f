/**
 * Checks for what an earlier stage guarantees but the types cannot say (a port's bridge, a
 * bond's settings, a name the model's order lists). A failure here is a bug in reclass-net,
 * not in the model, so it is a plain Error that the CLI reports as an internal error.
 */

/**
 * `value`, or an internal error naming `what` when it is missing (undefined or null).
 * @example
 * const bridge = present(iface.ovsBridge, `the OVS bridge of port ${iface.name}`);
 */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`${what} is missing`);
  return value;
}

/**
 * The entry of `key` in `map`, or an internal error naming `what` when it has none.
 * @example
 * const iface = mustGet(byName, name, 'interface');
 */
export function mustGet<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`${what} ${String(key)} is missing`);
  return value;
}
