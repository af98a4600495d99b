// A tensor larger than one storage binding of the GPU would make Dawn reject kernels and the
// step compute garbage: the run must be refused up front, naming the layer.
import { describe, expect, it } from 'vitest';
import { bindingProblem, stepTensors } from '../../../src/engine/webgpu/bindingLimits.js';
import { chainGraph } from '../modelHelpers.js';
import { ofType, smallConfig, train } from '../trainHelpers.js';
import { probe } from './adapter.js';

const MIB = 1024 * 1024;

describe('bindingProblem', () => {
  it('names the largest tensor over the limit, with both sizes', () => {
    const tensors = stepTensors(
      [
        { node: 'fc1', name: 'weight', size: (151 * 1e6) / 4 },
        { node: 'fc2', name: 'weight', size: 1000 },
      ],
      [{ node: 'conv1', bytesPerSample: 2 * MIB }],
      128,
    );
    expect(bindingProblem(tensors, 128 * MIB)).toBe(
      "conv1's output at batch 128 is 256 MiB, more than this GPU binds at once (128 MiB)",
    );
    expect(bindingProblem(tensors.slice(0, 2), 128 * MIB)).toBe(
      "fc1's weight is 144 MiB, more than this GPU binds at once (128 MiB)",
    );
    expect(bindingProblem(tensors, 1024 * MIB)).toBeNull();
  });
});

describe.skipIf(!probe.ok)('a forced webgpu run with a tensor over the binding limit', () => {
  it('ends in a backend error naming the layer, before any step', async () => {
    if (!probe.ok) return;
    // A Linear whose weight is just over what one binding of this adapter holds.
    const out = Math.ceil(probe.adapter.maxStorageBufferBindingSize / 4 / 784) + 1;
    const graph = chainGraph(
      [1, 28, 28],
      ['Flatten'],
      ['Linear', { out_features: out }],
      ['Linear', { out_features: 10 }],
    );
    const events = await train(graph, smallConfig({ backend: 'webgpu', epochs: 1 }));
    expect(ofType(events, 'batch')).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'backend' });
    const last = events.at(-1);
    const message = last?.type === 'error' ? last.message : '';
    expect(message).toMatch(
      /webgpu backend cannot train this graph: l1's weight is \d+ MiB, more than this GPU binds at once/,
    );
    expect(message).toMatch(/--backend wasm/);
  }, 60_000);
});
