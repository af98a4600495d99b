import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  MAX_IMPORT_BYTES,
  type ImportBeginParams,
  type ImportFinishResult,
  type ImportWriteParams,
} from '../api/imports.js';
import type { GraphDocument } from '../core/graph/document.js';
import type { StateDict } from '../core/weights/StateDict.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';

/** Uploads kept at once; a newer one drops the oldest (a page that gave up on one). */
const PENDING_UPLOADS = 2;

interface Upload {
  readonly kind: 'onnx' | 'keras';
  readonly name: string;
  readonly files: {
    readonly name: string;
    readonly bytes: number;
    chunks: Uint8Array[];
    received: number;
  }[];
}

/** `import-20260128-093012-ab12`: sortable by time, unique (as run ids are). */
export function newImportId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `import-${stamp}-${randomBytes(2).toString('hex')}`;
}

const stem = (name: string) => name.replace(/\.(onnx|json)$/i, '') || 'model';

/**
 * The host side of keeping an imported model (src/api/imports.ts): uploads assembled in memory,
 * then imported with the same `src/import` code as `nnb import` and written to
 * `<runsDir>/import-…/` as `NAME.nnb.json` + model.json + weights.bin — the layout of `nnb import
 * --out DIR`, so `nnb predict` and `nnb export` take the import's id too. The folder appears
 * whole or not at all (written hidden, renamed into place); a file that does not import writes
 * nothing. Bytes are accepted only in order, each once, up to the sizes announced.
 */
export class ModelImports {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly runsDir: string) {}

  begin(params: ImportBeginParams): { uploadId: string } {
    const total = params.files.reduce((sum, f) => sum + f.bytes, 0);
    if (total > MAX_IMPORT_BYTES) {
      throw new Error(
        `${params.name} and its files hold ${total} bytes; the app keeps imports up to ${MAX_IMPORT_BYTES} bytes (use nnb import for larger models).`,
      );
    }
    if (!params.files.some((f) => f.name === params.name)) {
      throw new Error(`the files announced do not include ${params.name} itself.`);
    }
    const uploadId = `upload-${randomBytes(8).toString('hex')}`;
    this.uploads.set(uploadId, {
      kind: params.kind,
      name: params.name,
      files: params.files.map((f) => ({ name: f.name, bytes: f.bytes, chunks: [], received: 0 })),
    });
    while (this.uploads.size > PENDING_UPLOADS) {
      this.uploads.delete(this.uploads.keys().next().value ?? '');
    }
    return { uploadId };
  }

  write(params: ImportWriteParams): null {
    const upload = this.upload(params.uploadId);
    const file = upload.files[params.file];
    if (file === undefined) {
      throw new Error(
        `the upload has ${upload.files.length} file(s); there is no file ${params.file}.`,
      );
    }
    const bytes = Buffer.from(params.data, 'base64');
    if (params.offset !== file.received) {
      throw new Error(
        `${file.name}: bytes must come in order; expected offset ${file.received}, got ${params.offset}.`,
      );
    }
    if (file.received + bytes.byteLength > file.bytes) {
      throw new Error(`${file.name}: more bytes than the ${file.bytes} announced.`);
    }
    file.chunks.push(new Uint8Array(bytes));
    file.received += bytes.byteLength;
    return null;
  }

  /** Imports the uploaded files and keeps the result; the upload is spent either way. */
  async finish(uploadId: string): Promise<ImportFinishResult> {
    const upload = this.upload(uploadId);
    this.uploads.delete(uploadId);
    const files = new Map<string, Uint8Array>();
    for (const f of upload.files) {
      if (f.received !== f.bytes) {
        throw new Error(`${f.name}: ${f.received} of ${f.bytes} bytes arrived; send it again.`);
      }
      files.set(f.name, Buffer.concat(f.chunks));
    }
    const { graph, state } = await importModel(upload, files);
    const importId = newImportId();
    await this.keep(importId, graph, state);
    return {
      importId,
      tensors: [...state].map(([key, t]) => ({ key, shape: [...t.shape] })),
    };
  }

  private upload(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (upload === undefined) {
      throw new Error(
        'that upload is unknown or was dropped for a newer one; import the file again.',
      );
    }
    return upload;
  }

  /** `<runsDir>/<importId>/`: written hidden beside it, renamed into place. */
  private async keep(importId: string, graph: GraphDocument, state: StateDict): Promise<void> {
    const [{ saveImportedCheckpoint }, { quietTfjs }] = await Promise.all([
      import('../engine/train/importedCheckpoint.js'),
      import('../engine/selectBackend.js'),
    ]);
    quietTfjs();
    const final = join(this.runsDir, importId);
    const hidden = join(this.runsDir, `.${importId}.partial`);
    try {
      await saveImportedCheckpoint(hidden, graph, state);
      writeFileAtomic(
        join(hidden, `${graph.name ?? 'model'}.nnb.json`),
        `${JSON.stringify(graph, null, 2)}\n`,
      );
      if (existsSync(final)) throw new Error(`${final} exists already.`);
      renameSync(hidden, final);
    } finally {
      rmSync(hidden, { recursive: true, force: true });
    }
  }
}

/** The importer of `nnb import` on the uploaded bytes; its refusal becomes one readable line. */
async function importModel(
  upload: Upload,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<{ graph: GraphDocument; state: StateDict }> {
  const [{ importOnnx }, { importKeras }, errors] = await Promise.all([
    import('../import/onnx/importOnnx.js'),
    import('../import/keras/importKeras.js'),
    import('../import/onnx/importErrors.js'),
  ]);
  const main = files.get(upload.name) ?? new Uint8Array();
  try {
    if (upload.kind === 'onnx') return importOnnx(main, { name: stem(upload.name) });
    const bins = new Map([...files].filter(([name]) => name !== upload.name));
    const name = upload.name === 'model.json' ? 'model' : stem(upload.name);
    return importKeras(new TextDecoder().decode(main), { name, files: bins });
  } catch (error) {
    if (error instanceof errors.UnsupportedModelError) {
      const ops = error.operators.map((o) => `${o.op} ×${o.count}`).join(', ');
      throw new Error(
        `${upload.name} cannot be imported: ${error.message}${ops ? ` (${ops})` : ''}.`,
        {
          cause: error,
        },
      );
    }
    if (error instanceof errors.ModelFormatError) {
      throw new Error(`${upload.name}: ${error.message}.`, { cause: error });
    }
    throw error;
  }
}
