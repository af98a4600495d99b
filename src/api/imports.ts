/**
 * Keeping an imported model's weights in the app (issue 14): the page hands the host the model
 * file(s) it imported — an `.onnx` file, or a Keras `model.json` with its `.bin` files — in
 * chunks (a WebSocket message is at most 16 MiB, a model may be hundreds), and the host imports
 * them again with the same `src/import` code as `nnb import` and keeps the graph and weights as
 * a folder of its runs folder, `import-…`, in the layout `nnb import --out DIR` writes. A run
 * starts from it with TrainConfig's `initialWeights`; the Inspect views show it through a graph
 * source's `weightsFrom`.
 *
 * Pure TypeScript + zod (no node:*, no DOM), so hosts and renderer share it.
 */
import { z } from 'zod';
import { RunIdSchema } from './inspect.js';

/** The most bytes one import may upload in all (ONNX's protobuf limit is 2 GiB). */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;
/** The most bytes one `imports.write` carries (as base64: 4/3 of it, under the socket's 16 MiB). */
export const IMPORT_CHUNK_BYTES = 4 * 1024 * 1024;

/** `import-20260128-093012-ab12`: the folder of an import in the host's runs folder. */
export const ImportIdSchema = RunIdSchema.refine((id) => id.startsWith('import-'), {
  message: 'an import id (like "import-20260128-093012-ab12")',
});

const fileName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\]+$/, 'a file name without a folder');

const uploadId = z.string().regex(/^upload-[0-9a-f]{16}$/, 'an upload id from imports.begin');

/** One tensor of the import's state dict: its key and PyTorch-layout shape. */
export const ImportedTensorSchema = z.object({
  key: z.string().max(600),
  shape: z.array(z.int().min(0)),
});

export const IMPORT_METHODS = {
  /** Announces the files of one import and their sizes; the host answers where to write them. */
  'imports.begin': {
    params: z
      .object({
        kind: z.enum(['onnx', 'keras']),
        /** The model file's name (`lenet.onnx`, `model.json`): names the import. */
        name: fileName,
        files: z
          .array(z.object({ name: fileName, bytes: z.int().min(1).max(MAX_IMPORT_BYTES) }).strict())
          .min(1)
          .max(64),
      })
      .strict(),
    result: z.object({ uploadId }),
  },
  /** Bytes of one file at an offset; every byte of every file must be written once. */
  'imports.write': {
    params: z
      .object({
        uploadId,
        file: z.int().min(0).max(63),
        offset: z.int().min(0).max(MAX_IMPORT_BYTES),
        /** base64 of at most IMPORT_CHUNK_BYTES bytes. */
        data: z.base64().max(Math.ceil(IMPORT_CHUNK_BYTES / 3) * 4),
      })
      .strict(),
    result: z.null(),
  },
  /**
   * Imports the uploaded files and keeps the graph and weights; refused with the importer's
   * message (unsupported operators, a broken file) and nothing kept.
   */
  'imports.finish': {
    params: z.object({ uploadId }).strict(),
    result: z.object({
      importId: ImportIdSchema,
      /** The state dict the import holds: what an edited graph's layers are matched against. */
      tensors: z.array(ImportedTensorSchema),
    }),
  },
} as const;

type Methods = typeof IMPORT_METHODS;
export type ImportBeginParams = z.output<Methods['imports.begin']['params']>;
export type ImportWriteParams = z.output<Methods['imports.write']['params']>;
export type ImportFinishResult = z.output<Methods['imports.finish']['result']>;
export type ImportedTensor = z.output<typeof ImportedTensorSchema>;

/** What a renderer calls (the same methods as the host implements). */
export interface ImportsClient {
  begin(params: ImportBeginParams): Promise<{ uploadId: string }>;
  write(params: ImportWriteParams): Promise<void>;
  finish(uploadId: string): Promise<ImportFinishResult>;
}
