import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { TrainingApi } from '../../src/api/training';
import { setBudget, type BudgetKind } from '../../src/core/budgets/budgets';
import {
  COMPARE_FORMAT,
  COMPARE_VERSION,
  DEFAULT_TRAINING,
  readTraining,
  type CompareDocument,
  type CompareTraining,
  type CompareVariant,
} from '../../src/core/compare/compareDocument';
import type { GraphDocument } from '../../src/core/graph/document';
import { trainAll } from './trainAll';
import { isFinal, waitingRun, type VariantRun } from './variantRun';

export type CurveMetric = 'loss' | 'accuracy';

export interface CompareFile {
  readonly name: string;
  /** A host path (desktop), or null for a template or a browser download. */
  readonly path: string | null;
}

/** The comparison being looked at, its live "Train all" state and view options. */
export interface CompareState {
  readonly doc: CompareDocument;
  readonly file: CompareFile;
  readonly dirty: boolean;
  /** Live runs aligned with the variants; null until "Train all" runs in this session. */
  readonly runs: readonly VariantRun[] | null;
  readonly training: boolean;
  /** The runs of the current Train all that the engine has named (Stop stops them all). */
  readonly activeRunIds: readonly string[];
  readonly stopRequested: boolean;
  readonly metric: CurveMetric;
  readonly showFormulas: boolean;
  load(doc: CompareDocument, file: CompareFile): void;
  /** A new comparison whose first variant is `graph` (the toolbar's Compare button). */
  startFrom(graph: GraphDocument, name: string): void;
  addVariant(graph: GraphDocument, name: string): void;
  removeVariant(index: number): void;
  renameVariant(index: number, name: string): void;
  setTitle(title: string): void;
  /** Sets or clears one budget in every variant's graph (results are kept: same networks). */
  setBudget(kind: BudgetKind, value: number | undefined): void;
  /** Validates and applies; returns the problem instead when the value is out of range. */
  setTraining(patch: Partial<CompareTraining>): string | null;
  setMetric(metric: CurveMetric): void;
  setShowFormulas(show: boolean): void;
  markSaved(file: CompareFile): void;
  trainAll(api: Pick<TrainingApi, 'start' | 'onEvent' | 'stop'>): Promise<void>;
  stop(api: Pick<TrainingApi, 'stop'>): Promise<void>;
}

export function emptyComparison(title = 'Untitled comparison'): CompareDocument {
  return {
    format: COMPARE_FORMAT,
    version: COMPARE_VERSION,
    title,
    description: '',
    training: DEFAULT_TRAINING,
    variants: [],
  };
}

/** `LeNet-5`, then `LeNet-5 (2)`: names label columns and legend entries, so keep them apart. */
export function uniqueName(name: string, taken: readonly string[]): string {
  const base = name.trim() || 'Variant';
  if (!taken.includes(base)) return base;
  let n = 2;
  while (taken.includes(`${base} (${n})`)) n++;
  return `${base} (${n})`;
}

const withoutResult = ({ result: _, ...v }: CompareVariant): CompareVariant => v;

export function createCompareStore() {
  return createStore<CompareState>()((set, get) => {
    const edit = (doc: CompareDocument) => set({ doc, dirty: true });
    const variants = (list: readonly CompareVariant[]) => ({ ...get().doc, variants: list });
    return {
      doc: emptyComparison(),
      file: { name: 'Untitled comparison', path: null },
      dirty: false,
      runs: null,
      training: false,
      activeRunIds: [],
      stopRequested: false,
      metric: 'loss',
      showFormulas: true,
      load(doc, file) {
        set({ doc, file, dirty: false, runs: null });
      },
      startFrom(graph, name) {
        const doc = emptyComparison(`Comparison: ${name}`);
        set({
          doc: { ...doc, variants: [{ name: uniqueName(name, []), graph }] },
          file: { name: 'Untitled comparison', path: null },
          dirty: true,
          runs: null,
        });
      },
      addVariant(graph, name) {
        const list = get().doc.variants;
        const taken = list.map((v) => v.name);
        edit(variants([...list, { name: uniqueName(name, taken), graph }]));
        const runs = get().runs;
        if (runs) set({ runs: [...runs, waitingRun('idle')] });
      },
      removeVariant(index) {
        edit(variants(get().doc.variants.filter((_, i) => i !== index)));
        const runs = get().runs;
        if (runs) set({ runs: runs.filter((_, i) => i !== index) });
      },
      renameVariant(index, name) {
        const list = get().doc.variants;
        const taken = list.filter((_, i) => i !== index).map((v) => v.name);
        edit(
          variants(list.map((v, i) => (i === index ? { ...v, name: uniqueName(name, taken) } : v))),
        );
      },
      setTitle(title) {
        edit({ ...get().doc, title });
      },
      setBudget(kind, value) {
        const list = get().doc.variants;
        const next = list.map((v) => {
          const graph = setBudget(v.graph, kind, value);
          return graph === v.graph ? v : { ...v, graph };
        });
        if (next.some((v, i) => v !== list[i])) edit(variants(next));
      },
      setTraining(patch) {
        const read = readTraining({ ...get().doc.training, ...patch });
        if (!read.ok) return read.error;
        // Results trained with other settings would no longer compare like with like.
        edit({
          ...get().doc,
          training: read.value,
          variants: get().doc.variants.map(withoutResult),
        });
        set({ runs: null });
        return null;
      },
      setMetric(metric) {
        set({ metric });
      },
      setShowFormulas(showFormulas) {
        set({ showFormulas });
      },
      markSaved(file) {
        set({ file, dirty: false });
      },
      async trainAll(api) {
        if (get().training) return;
        const doc = get().doc;
        set({
          training: true,
          stopRequested: false,
          doc: { ...doc, variants: doc.variants.map(withoutResult) },
          runs: doc.variants.map(() => waitingRun()),
        });
        try {
          await trainAll(api, doc.variants, doc.training, {
            onRun(index, run) {
              const runs = [...(get().runs ?? [])];
              runs[index] = run;
              const keep = run.status === 'running' || isFinal(run.status);
              const list = get().doc.variants.map((v, i) => {
                if (i !== index) return v;
                return keep && run.status !== 'idle'
                  ? { ...v, result: run.result }
                  : withoutResult(v);
              });
              set({ runs, doc: { ...get().doc, variants: list }, dirty: true });
            },
            onActive(runId) {
              set({ activeRunIds: [...get().activeRunIds, runId] });
              // Stop pressed while the run was still starting: it had no id to stop yet.
              if (get().stopRequested) api.stop(runId).catch(() => undefined);
            },
            stopped: () => get().stopRequested,
          });
        } finally {
          set({ training: false, activeRunIds: [] });
        }
      },
      async stop(api) {
        set({ stopRequested: true });
        // Every run of the group, training or waiting; one that already ended (or a closed
        // connection) has nothing left to stop.
        await Promise.all(get().activeRunIds.map((id) => api.stop(id).catch(() => undefined)));
      },
    };
  });
}

/** The app's one comparison (tests create their own with createCompareStore). */
export const compareStore = createCompareStore();

export function useCompare<T>(selector: (s: CompareState) => T): T {
  return useStore(compareStore, selector);
}
