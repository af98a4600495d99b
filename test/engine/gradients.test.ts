import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultOptimizer, type Optimizer } from '../../src/api/training.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import type { PendingUpdate } from '../../src/engine/model/LayerBuilder.js';
import { exportTorchWeights } from '../../src/engine/model/torchWeights.js';
import { batchLoss } from '../../src/engine/train/loss.js';
import { TorchOptimizer } from '../../src/engine/train/TorchOptimizer.js';
import { trainStep } from '../../src/engine/train/trainStep.js';
import {
  chainGraph,
  maxError,
  randomInput,
  randomizeWeights,
  shuffleUnit,
  squeezeExcitation,
  weightsJson,
} from './modelHelpers.js';
import { runTorch, torchUnavailable, type TorchStepsResult } from './torchReference.js';

// Gradients and optimizer steps against PyTorch: the layers tfjs has no gradient for (dilated,
// grouped convs) or wrong ones (ceil-mode pooling), BatchNorm in training mode, and every
// optimizer with its weight-decay rule. (A conv bias right before BatchNorm is left out, as
// usual: its true gradient is 0, so Adam would amplify float noise that no two frameworks share.)
const CASES: [string, GraphDocument, Optimizer][] = [
  [
    'dilated grouped conv, SGD Nesterov + weight decay',
    chainGraph(
      [4, 11, 10],
      [
        'Conv2d',
        { out_channels: 4, kernel_size: 3, dilation: [2, 3], stride: 2, groups: 2, padding: 1 },
      ],
      ['Tanh'],
      ['Flatten'],
      ['Linear', { out_features: 3 }],
    ),
    {
      ...defaultOptimizer('sgd'),
      lr: 0.1,
      momentum: 0.9,
      nesterov: true,
      weightDecay: 0.01,
    } as Optimizer,
  ],
  [
    'depthwise conv, BatchNorm (train), ceil-mode pools, Adam',
    chainGraph(
      [3, 9, 9],
      ['Conv2d', { out_channels: 6, kernel_size: 3, groups: 3, padding: 1, bias: false }],
      ['BatchNorm2d'],
      ['ReLU'],
      ['MaxPool2d', { kernel_size: 3, stride: 2, padding: 1, ceil_mode: true }],
      ['AvgPool2d', { kernel_size: 2, ceil_mode: true, count_include_pad: false }],
      ['Flatten'],
      ['Linear', { out_features: 3 }],
    ),
    { ...defaultOptimizer('adam'), lr: 0.01 } as Optimizer,
  ],
  [
    'transposed conv (groups, dilation), adaptive pool, AdamW',
    chainGraph(
      [4, 4, 5],
      [
        'ConvTranspose2d',
        { out_channels: 4, kernel_size: 3, stride: 2, groups: 2, dilation: 2, padding: 1 },
      ],
      ['GELU'],
      ['AdaptiveAvgPool2d', { output_size: [2, 3] }],
      ['Flatten'],
      ['Linear', { out_features: 3 }],
    ),
    { ...defaultOptimizer('adamw'), lr: 0.01, weightDecay: 0.1 } as Optimizer,
  ],
  [
    'ResidualBlock, RMSprop with momentum and weight decay',
    chainGraph(
      [3, 6, 6],
      ['ResidualBlock', { out_channels: 4, stride: 2 }],
      ['AdaptiveAvgPool2d', { output_size: 1 }],
      ['Flatten'],
      ['Linear', { out_features: 3 }],
    ),
    { ...defaultOptimizer('rmsprop'), momentum: 0.5, weightDecay: 0.01, lr: 0.001 } as Optimizer,
  ],
  [
    'Upsample (bicubic, nearest), dilated max-pool, plain SGD',
    chainGraph(
      [2, 5, 4],
      ['Upsample', { scale_factor: 2, mode: 'bicubic' }],
      ['Conv2d', { out_channels: 3, kernel_size: 3 }],
      ['Upsample', { size: [9, 7] }],
      ['MaxPool2d', { kernel_size: 2, stride: 2, dilation: 2 }],
      ['Flatten'],
      ['Linear', { out_features: 3 }],
    ),
    { ...defaultOptimizer('sgd'), lr: 0.1 } as Optimizer,
  ],
  [
    'squeeze-excitation: Hardsigmoid gate × map (broadcast Multiply), SGD',
    squeezeExcitation([3, 6, 5], {
      nodes: [
        { id: 'flat', type: 'Flatten' },
        { id: 'head', type: 'Linear', params: { out_features: 3 } },
      ],
      edges: [
        { source: 'scale', target: 'flat' },
        { source: 'flat', target: 'head' },
      ],
    }),
    { ...defaultOptimizer('sgd'), lr: 0.1 } as Optimizer,
  ],
  [
    'ConvNeXt-style: depthwise 7×7, LayerNorm2d, 1×1 expand, GELU, AdamW',
    chainGraph(
      [4, 9, 9],
      ['Conv2d', { out_channels: 4, kernel_size: 7, padding: 3, groups: 4 }],
      ['LayerNorm2d', { eps: 1e-6 }],
      ['Conv2d', { out_channels: 8, kernel_size: 1 }],
      ['GELU'],
      ['AdaptiveAvgPool2d', { output_size: 1 }],
      ['Flatten'],
      ['Linear', { out_features: 3 }],
    ),
    { ...defaultOptimizer('adamw'), lr: 0.01 } as Optimizer,
  ],
  [
    'SqueezeExcitation block as EfficientNet (SiLU, Sigmoid), SGD',
    chainGraph(
      [4, 5, 5],
      ['Conv2d', { out_channels: 6, kernel_size: 3, padding: 1 }],
      ['SqueezeExcitation', { squeeze_channels: 2, activation: 'SiLU' }],
      ['Flatten'],
      ['Linear', { out_features: 3 }],
    ),
    { ...defaultOptimizer('sgd'), lr: 0.1 } as Optimizer,
  ],
  [
    'ShuffleNet v2 unit: Slice halves, Concat, ChannelShuffle, Adam',
    shuffleUnit([3, 6, 5], {
      nodes: [
        { id: 'flat', type: 'Flatten' },
        { id: 'head', type: 'Linear', params: { out_features: 3 } },
      ],
      edges: [
        { source: 'shuffle', target: 'flat' },
        { source: 'flat', target: 'head' },
      ],
    }),
    { ...defaultOptimizer('adam'), lr: 0.01 } as Optimizer,
  ],
  [
    'Linear + Dropout-free MLP, Adagrad with weight decay',
    chainGraph(
      [12],
      ['Linear', { out_features: 8 }],
      ['SiLU'],
      ['Hardswish'],
      ['Hardsigmoid'],
      ['BatchNorm1d'],
      ['Linear', { out_features: 3 }],
    ),
    { ...defaultOptimizer('adagrad'), lr: 0.1, weightDecay: 0.01 } as Optimizer,
  ],
];
const STEPS = 3;
const N = 4;
const TOLERANCE = 1e-4;

const skip = torchUnavailable();

describe.skipIf(skip !== null)(
  `gradients and optimizer steps equal PyTorch’s${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let torch: TorchStepsResult[] = [];
    const inputs = CASES.map((_, i) =>
      randomInput(CASES[i]![1].nodes[0]!.params!.shape as number[], N, 300 + i),
    );
    const labels = [0, 2, 1, 2];
    const models = CASES.map(([, graph], i) => {
      const model = CompiledModel.compile(graph, 50 + i);
      randomizeWeights(model, 60 + i);
      return model;
    });

    beforeAll(async () => {
      await tf.setBackend('cpu');
      torch = runTorch<TorchStepsResult>(
        CASES.map(([, graph, optimizer], i) => ({
          graph,
          weights: weightsJson(models[i]!),
          input: inputs[i]!.torch,
          labels,
          steps: STEPS,
          optimizer,
        })),
      );
    });

    it.each(CASES.map(([name], i) => [name, i] as const))('%s', (_name, i) => {
      const model = models[i]!;
      const expected = torch[i]!;
      const x = inputs[i]!.ours;
      const y = tf.tensor1d(labels, 'int32');
      const variables = model.trainableVariables();
      // First-step gradients, converted to PyTorch's layout.
      const updates: PendingUpdate[] = [];
      const { value, grads } = tf.variableGrads(
        () =>
          batchLoss(
            model.apply(x, { training: true, nextSeed: () => 1, updates }) as tf.Tensor2D,
            y,
            'cross-entropy',
            'logits',
          ),
        variables,
      );
      expect(Math.abs(value.dataSync()[0]! - expected.loss)).toBeLessThan(TOLERANCE);
      for (const w of model.weights.filter((w) => w.trainable)) {
        const g = grads[w.variable.name]!;
        const perm =
          w.spec.layout === 'conv' ? [3, 2, 0, 1] : w.spec.layout === 'linear' ? [1, 0] : null;
        const torchLayout = perm ? tf.transpose(g, perm) : g;
        expect(
          maxError(torchLayout.dataSync(), expected.grads[w.key]!),
          `gradient of ${w.key}`,
        ).toBeLessThan(TOLERANCE);
      }
      tf.dispose([value, ...Object.values(grads), ...updates.map((u) => u.value)]);
      // Then STEPS optimizer steps from the same start, compared weight by weight.
      const optimizer = new TorchOptimizer(CASES[i]![2], variables);
      const setup = {
        model,
        optimizer,
        variables,
        loss: 'cross-entropy' as const,
        kind: 'logits' as const,
        nextSeed: () => 1,
      };
      for (let s = 0; s < STEPS; s++) trainStep(setup, x, y, CASES[i]![2].lr, false);
      const after = exportTorchWeights(model);
      for (const w of model.weights.filter((w) => w.trainable)) {
        expect(
          maxError(after.get(w.key)!.data, expected.weights[w.key]!),
          `${w.key} after ${STEPS} steps`,
        ).toBeLessThan(TOLERANCE);
      }
      optimizer.dispose();
    });
  },
);
