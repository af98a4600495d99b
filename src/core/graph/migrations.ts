import { GRAPH_VERSION } from './document.js';

/**
 * Upgrades from version N to N+1, applied in order when an older file is opened. Version 1 is the
 * first published format, so the table is empty; a future format change adds its step here
 * together with a fixture of the old version under test/fixtures/.
 */
const MIGRATIONS: Readonly<
  Record<number, (doc: Record<string, unknown>) => Record<string, unknown>>
> = {};

/** Brings a document of `version` up to the current format version. */
export function migrateDocument(
  doc: Record<string, unknown>,
  version: number,
): Record<string, unknown> {
  let current = doc;
  for (let v = version; v < GRAPH_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (step === undefined) throw new Error(`no migration from graph format version ${v}`);
    current = step(current);
  }
  return current === doc ? doc : { ...current, version: GRAPH_VERSION };
}
