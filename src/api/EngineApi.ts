/**
 * The one typed contract between the renderer and whichever host runs it (Electron IPC, the
 * web-mode WebSocket server). Requests are `{ method, params }` pairs from the table below and
 * every host validates them with these zod schemas before acting; the renderer validates what
 * comes back the same way. Events flow host → renderer on named channels.
 *
 * Pure TypeScript + zod (no node:*, no DOM), so both sides import it. Training re-uses the
 * engine's contract in ./training.ts.
 */
import { z } from 'zod';
import type { GraphDocument } from '../core/graph/document.js';
import { readGraphDocument } from '../core/graph/parseGraph.js';
import {
  ImageInputSchema,
  PredictionSchema,
  TrainConfigSchema,
  TrainEventSchema,
  TrainGroupSchema,
  type TrainingApi,
} from './training.js';
import { INSPECT_METHODS, type InspectClient } from './inspect.js';
import { PROFILE_METHODS, type ProfileClient } from './profile.js';
import { IMPORT_METHODS, type ImportsClient } from './imports.js';

/** Graph files are small; this only stops a runaway payload from being read at all. */
const MAX_TEXT = 64 * 1024 * 1024;

/** A graph document, checked with the core's reader (same messages as opening a file). */
export const GraphDocumentSchema = z.unknown().transform((value, ctx): GraphDocument => {
  const outcome = readGraphDocument(value);
  if (outcome.ok) return outcome.graph;
  ctx.addIssue({ code: 'custom', message: outcome.error });
  return z.NEVER;
});

export const HostInfoSchema = z.object({
  host: z.enum(['web', 'electron']),
  version: z.string(),
  /** True when the host has native open/save dialogs (`files.*`); the web uses the browser's. */
  fileDialogs: z.boolean(),
  /** False when the host runs no training engine; the panel then says so. */
  training: z.boolean(),
  /** The GPU the `webgpu` backend would train on (a hardware adapter), in words; null: none. */
  gpu: z.string().max(300).nullable().default(null),
});
export type HostInfo = z.infer<typeof HostInfoSchema>;

/** `templates/index.json`: the gallery. */
export const TemplateEntrySchema = z.object({
  file: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]*\.nnb(?:-compare)?\.json$/,
      'a file name like "lenet-5.nnb.json" or "lesson-x.nnb-compare.json"',
    ),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  /** `graph` opens in the editor; `comparison` (`*.nnb-compare.json`) in the compare view. */
  kind: z.enum(['graph', 'comparison']).default('graph'),
});
export const TemplateIndexSchema = z.object({
  version: z.literal(1),
  templates: z.array(TemplateEntrySchema),
  /** Ready-made comparisons for instructors (issue 6), listed apart from the single graphs. */
  lessons: z.array(TemplateEntrySchema).default([]),
});
export type TemplateEntry = z.infer<typeof TemplateEntrySchema>;
export type TemplateIndex = z.infer<typeof TemplateIndexSchema>;

const FileContentSchema = z.object({ path: z.string().min(1), text: z.string().max(MAX_TEXT) });
export type FileContent = z.infer<typeof FileContentSchema>;
/** Model files chosen in the desktop Open dialog (an `.onnx`, or a Keras model.json and its
 * `.bin` files), as bytes: the page imports them as it imports dropped files. */
const ModelFilesSchema = z.object({
  path: z.string().min(1),
  files: z
    .array(z.object({ name: z.string().min(1).max(255), data: z.base64() }))
    .min(1)
    .max(64),
});
export type ModelFiles = z.infer<typeof ModelFilesSchema>;
const runId = z.object({ runId: z.string().min(1).max(200) });
const nothing = z.object({}).strict();

/** Every request a host answers: its params and its result, as schemas. */
export const ENGINE_METHODS = {
  'host.info': { params: nothing, result: HostInfoSchema },
  'templates.list': { params: nothing, result: TemplateIndexSchema },
  'templates.read': {
    params: z.object({ file: TemplateEntrySchema.shape.file }).strict(),
    result: z.object({ text: z.string().max(MAX_TEXT) }),
  },
  /** Native open dialog: a graph as text, or model files as bytes; null when cancelled. Only
   * hosts with `fileDialogs`. */
  'files.open': {
    params: nothing,
    result: z.union([FileContentSchema, ModelFilesSchema]).nullable(),
  },
  /** Re-reads a file the user opened or saved earlier (recent files); others are refused. */
  'files.read': {
    params: z.object({ path: z.string().min(1).max(4096) }).strict(),
    result: FileContentSchema,
  },
  /** Writes to `path`, or asks where (save as) when it is null; null when cancelled. */
  'files.save': {
    params: z
      .object({
        path: z.string().min(1).max(4096).nullable(),
        suggestedName: z.string().min(1).max(255),
        text: z.string().max(MAX_TEXT),
      })
      .strict(),
    result: z.object({ path: z.string() }).nullable(),
  },
  'train.start': {
    params: z
      .object({
        graph: GraphDocumentSchema,
        config: TrainConfigSchema,
        group: TrainGroupSchema.optional(),
      })
      .strict(),
    result: runId,
  },
  'train.pause': { params: runId.strict(), result: z.null() },
  'train.resume': { params: runId.strict(), result: z.null() },
  'train.stop': { params: runId.strict(), result: z.null() },
  'train.predict': {
    params: z.object({ run: z.string().min(1).max(4096), image: ImageInputSchema }).strict(),
    result: PredictionSchema,
  },
  ...INSPECT_METHODS,
  ...PROFILE_METHODS,
  ...IMPORT_METHODS,
} as const;

export type EngineMethod = keyof typeof ENGINE_METHODS;
/** What a caller sends for `M`. */
export type EngineParams<M extends EngineMethod> = z.input<(typeof ENGINE_METHODS)[M]['params']>;
/** What a host's handler receives for `M` (validated, defaults filled in). */
export type EngineParsedParams<M extends EngineMethod> = z.output<
  (typeof ENGINE_METHODS)[M]['params']
>;
export type EngineResult<M extends EngineMethod> = z.output<(typeof ENGINE_METHODS)[M]['result']>;

/** Events a host pushes; the payload schema of each channel. */
export const ENGINE_EVENTS = { 'train.event': TrainEventSchema } as const;
export type EngineEvent = keyof typeof ENGINE_EVENTS;
export type EngineEventPayload<E extends EngineEvent> = z.output<(typeof ENGINE_EVENTS)[E]>;

/** The API as the renderer uses it, the same object in both hosts. */
export interface EngineApi {
  info(): Promise<HostInfo>;
  readonly templates: {
    list(): Promise<TemplateIndex>;
    read(file: string): Promise<string>;
  };
  /** Native file dialogs; in hosts without them (`info().fileDialogs` false) these reject. */
  readonly files: {
    open(): Promise<FileContent | ModelFiles | null>;
    read(path: string): Promise<FileContent>;
    save(
      path: string | null,
      suggestedName: string,
      text: string,
    ): Promise<{ path: string } | null>;
  };
  readonly training: TrainingApi;
  /** The "see inside" views (./inspect.ts). */
  readonly inspect: InspectClient;
  /** Per-layer measured time (./profile.ts). */
  readonly profile: ProfileClient;
  /** Keeping an imported model's weights on the host (./imports.ts). */
  readonly imports: ImportsClient;
}

/** A request as it crosses a boundary: validated before it reaches a handler. */
export const EngineRequestSchema = z.object({
  method: z.enum(Object.keys(ENGINE_METHODS) as [EngineMethod, ...EngineMethod[]]),
  params: z.unknown(),
});

/** One readable line per problem: `params.config.batchSize: Too small: expected …`. */
export function describeIssues(error: z.ZodError, root: string): string {
  return error.issues
    .map((issue) => `${[root, ...issue.path.map(String)].join('.')}: ${issue.message}`)
    .join('; ');
}
