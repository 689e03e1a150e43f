/**
 * Writes documentation files through the shared writer: all pages or none, never through a
 * link, so a reader (a web server, a wiki checkout) never sees half a site.
 */
import { writeAll } from '../io/write-all.js';

/** Writes `files` (relative path -> content) under `outDir`; returns the absolute paths written. */
export async function writeFiles(outDir: string, files: Map<string, string>): Promise<string[]> {
  return writeAll(
    outDir,
    [...files].map(([path, content]) => ({ path, content })),
  );
}
