import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { ROOT } from './nnb.js';

/** The CommonJS packages a real `nnb <args>` loads (Node's own module log, NODE_DEBUG=module). */
function loadedPackages(...args: string[]): Set<string> {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'nnb.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', NODE_DEBUG: 'module' },
  });
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  const found = r.stderr.matchAll(/node_modules\/((?:@[^/\s"']+\/)?[^/\s"']+)/g);
  return new Set([...found].map((m) => m[1]!));
}

describe('nnb loads a command only when it runs', () => {
  it('each entry loads the command of its name', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.definition.name).toBe(entry.name);
    }
  });

  it('nnb train does not load what import and export need (ONNX protobufs), nor image decoders', () => {
    const train = loadedPackages('train', '--help');
    // The probe sees packages at all: the engine's TensorFlow.js is loaded by train.
    expect(train.has('@tensorflow/tfjs')).toBe(true);
    expect(train.has('protobufjs')).toBe(false);
    expect(train.has('onnx-proto')).toBe(false);
    // PNG and JPEG decoders load at the first image decoded (decodeImage.ts), not with the data code.
    expect(train.has('pngjs')).toBe(false);
    expect(train.has('jpeg-js')).toBe(false);
    const importing = loadedPackages('import', '--help');
    expect(importing.has('onnx-proto')).toBe(true);
  }, 60_000);
});
