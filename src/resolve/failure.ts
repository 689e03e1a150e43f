/**
 * What references and queries need of values without depending on them: the failure of a
 * reference, and copying rendered containers.
 */
import { ReclassNetError } from '../errors.js';

/** reclass's ResolveError: a reference that names nothing. */
export class ResolveFailure extends ReclassNetError {
  constructor(
    readonly reference: string,
    context: { path?: string } = {},
  ) {
    super('ResolveError', `cannot resolve \${${reference}}`, context);
  }
}

/**
 * Copies rendered containers. Values still waiting to be rendered are shared: rendering
 * never changes them, so sharing is as good as Python's deepcopy and much cheaper.
 */
export function deepCopy<T>(data: T): T {
  if (data instanceof Map) {
    const copy = new Map<string, unknown>();
    (data as Map<string, unknown>).forEach((v, k) => copy.set(k, deepCopy(v)));
    return copy as T;
  }
  if (Array.isArray(data)) return data.map(deepCopy) as T;
  return data;
}
