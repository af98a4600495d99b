// Which command lines start the data-parallel gradient worker before the program loads.
import { describe, expect, it } from 'vitest';
import {
  earlyProbeWanted,
  earlyWorkerWanted,
  requestedTrainBackend,
} from '../../src/cli/earlyStart.js';

describe('earlyWorkerWanted', () => {
  it('starts it for a training that may run on WASM with two cores', () => {
    expect(earlyWorkerWanted(['train', 'g.nnb.json'], {}, 2)).toBe(true);
    expect(earlyWorkerWanted(['train', 'g.nnb.json', '--backend', 'wasm'], {}, 4)).toBe(true);
    expect(earlyWorkerWanted(['train', 'g.nnb.json', '--backend=auto'], {}, 2)).toBe(true);
    expect(earlyWorkerWanted(['train', 'g.nnb.json'], { NNB_BACKEND: 'wasm' }, 2)).toBe(true);
  });

  it('not for other backends, one thread, one core or other commands', () => {
    expect(earlyWorkerWanted(['train', 'g.nnb.json', '--backend', 'webgpu'], {}, 2)).toBe(false);
    expect(earlyWorkerWanted(['train', 'g.nnb.json', '--backend=cpu'], {}, 2)).toBe(false);
    expect(earlyWorkerWanted(['train', 'g.nnb.json'], { NNB_BACKEND: 'tensorflow' }, 2)).toBe(
      false,
    );
    expect(earlyWorkerWanted(['train', 'g.nnb.json'], { NNB_THREADS: '1' }, 2)).toBe(false);
    expect(earlyWorkerWanted(['train', 'g.nnb.json'], {}, 1)).toBe(false);
    expect(earlyWorkerWanted(['summary', 'g.nnb.json'], {}, 2)).toBe(false);
    expect(earlyWorkerWanted(['predict', 'run', 'x.png'], {}, 2)).toBe(false);
  });

  it('reads the flag before NNB_BACKEND', () => {
    expect(requestedTrainBackend(['train', 'g', '--backend', 'cpu'], { NNB_BACKEND: 'wasm' })).toBe(
      'cpu',
    );
    expect(requestedTrainBackend(['train', 'g'], {})).toBe('auto');
    expect(requestedTrainBackend(['export', 'g'], {})).toBe(null);
  });
});

describe('earlyProbeWanted', () => {
  it('starts the GPU probe for a training that may choose webgpu', () => {
    // null: a GPU device may exist (noGpuDevice found a device node, or cannot tell).
    expect(earlyProbeWanted(['train', 'g.nnb.json'], {}, null)).toBe(true);
    expect(earlyProbeWanted(['train', 'g.nnb.json', '--backend', 'webgpu'], {}, null)).toBe(true);
    expect(earlyProbeWanted(['train', 'g.nnb.json'], { NNB_BACKEND: 'auto' }, null)).toBe(true);
  });

  it('not for auto where no GPU device exists; still for a named webgpu (software will do)', () => {
    const none = 'no GPU device in /dev';
    expect(earlyProbeWanted(['train', 'g.nnb.json'], {}, none)).toBe(false);
    expect(earlyProbeWanted(['train', 'g.nnb.json'], { NNB_BACKEND: 'auto' }, none)).toBe(false);
    expect(earlyProbeWanted(['train', 'g.nnb.json', '--backend', 'webgpu'], {}, none)).toBe(true);
  });

  it('not for a named CPU backend or another command', () => {
    expect(earlyProbeWanted(['train', 'g.nnb.json', '--backend=wasm'], {})).toBe(false);
    expect(earlyProbeWanted(['train', 'g.nnb.json'], { NNB_BACKEND: 'cpu' })).toBe(false);
    expect(earlyProbeWanted(['summary', 'g.nnb.json'], {})).toBe(false);
  });
});
