/**
 * Turns what interpolation logged (which Value objects produced each rendered path) into
 * a history a person can read: where a value was set, merged, overridden and referenced.
 */
import type { ProvenanceStep, SourceLocation } from '../types.js';
import { pathKey, splitPath, type PathPart } from './dictpath.js';
import type { ProvenanceLog } from './parameters.js';
import { toPlain } from '../inventory/plain.js';
import { Value, ValueList, type Origin } from './values.js';

function locationOf(origin: Origin | undefined): SourceLocation | undefined {
  return origin && origin.line ? { file: origin.file, line: origin.line, column: origin.column ?? 0 } : undefined;
}

function describe(value: Value): ProvenanceStep['value'] {
  const contents = value.isContainer() ? value.contents : undefined;
  return contents !== undefined ? toPlain(contents) : value.pyStr();
}

export function makeProvenance(log: ProvenanceLog | undefined, delimiter: string) {
  const history = (path: readonly PathPart[], depth: number): ProvenanceStep[] => {
    if (!log || depth > 32) return [];
    for (let cut = path.length; cut > 0; cut--) {
      const entry = log.get(pathKey(path.slice(0, cut)));
      if (!entry) continue;
      const rest = path.slice(cut);
      const values = entry.source instanceof ValueList ? entry.source.values : [entry.source];
      const steps: ProvenanceStep[] = [];
      values.forEach((value, i) => {
        const container = value.itemType === 'list' || value.itemType === 'dictionary';
        steps.push({
          kind: i === 0 ? 'set' : value.overwrite || !container ? 'override' : 'merge',
          source: value.origin?.entity ?? '(unknown)',
          location: locationOf(value.origin),
          value: describe(value),
        });
        for (const ref of value.getReferences()) {
          steps.push({
            kind: 'reference',
            source: value.origin?.entity ?? '(unknown)',
            reference: ref,
            location: locationOf(value.origin),
          });
          const target = [...splitPath(ref, delimiter), ...rest];
          steps.push(...history(target, depth + 1));
        }
      });
      return steps;
    }
    return [];
  };
  return (path: readonly (string | number)[]) => history(path, 0);
}
