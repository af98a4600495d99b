// Node ids from the names exporters write: PyTorch's module scopes become state_dict names.
import { describe, expect, it } from 'vitest';
import type { OnnxNode } from '../../src/import/onnx/onnxFile.js';
import { readableName } from '../../src/import/onnx/nodeNames.js';

const node = (name: string, opType: string, outputs = ['out']): OnnxNode => ({
  name,
  opType,
  domain: '',
  inputs: [],
  outputs,
  attributes: new Map(),
});

describe('readableName', () => {
  it.each([
    // torchvision resnet18: a scope repeats its parent's name.
    ['/layer1/layer1.0/conv1/Conv', 'Conv', 'layer1.0.conv1'],
    ['/layer1/layer1.0/Add', 'Add', 'layer1.0.add'],
    // torchvision mobilenet_v3_small: Sequentials inside a module name children after themselves.
    ['/features/features.1/block/block.0/block.0.0/Conv', 'Conv', 'features.1.block.0.0'],
    ['/features/features.1/block/block.1/fc1/Conv', 'Conv', 'features.1.block.1.fc1'],
    ['/fc/Gemm', 'Gemm', 'fc'],
  ])('%s → %s', (name, op, id) => {
    expect(readableName(node(name, op), [])).toBe(id);
  });

  it('names the extra nodes of a layer in NN Builder’s own export after the layer', () => {
    const sigmoid = node('se/activation/sigmoid_0', 'Sigmoid', ['se/activation/sigmoid_0']);
    expect(readableName(sigmoid, [], true)).toBe('se_activation');
    expect(readableName(sigmoid, [], false)).toBe('se_activation_sigmoid_0');
  });
});
