import { int } from '../params/paramSpec.js';
import { defineBlock, type BlockExpansion } from './BlockDefinition.js';
import { chain, downsampleParam, needsProjection, shortcut } from './ResidualBlock.js';

/** torchvision's Bottleneck (ResNet-50/101/152, "v1.5": the stride sits on the 3×3 conv). */
export const Bottleneck = defineBlock({
  type: 'Bottleneck',
  category: 'Blocks',
  idStem: 'bottleneck',
  starter: { planes: 64 },
  summary: 'ResNet bottleneck: 1×1 reduce, 3×3, 1×1 expand, with a skip connection.',
  explanation:
    'y = ReLU(BN(conv1×1(ReLU(BN(conv3×3(ReLU(BN(conv1×1(x))))))) + shortcut(x)), as torchvision ' +
    'Bottleneck. width = planes·(width_per_group/64)·groups; output channels = planes·expansion. ' +
    'The 3×3 conv carries the stride and the groups (ResNeXt). The shortcut is a 1×1 conv + BN when ' +
    'stride ≠ 1 or the channel count changes.',
  params: {
    planes: int({
      min: 1,
      description: 'Bottleneck width before expansion (64, 128, 256, 512 in ResNet-50).',
    }),
    stride: int({
      min: 1,
      default: 1,
      description: 'Stride of the 3×3 conv and of the projection.',
    }),
    expansion: int({
      min: 1,
      default: 4,
      advanced: true,
      description: 'Output channels = planes·expansion.',
    }),
    groups: int({
      min: 1,
      default: 1,
      advanced: true,
      description: 'Groups of the 3×3 conv (ResNeXt).',
    }),
    width_per_group: int({
      min: 1,
      default: 64,
      advanced: true,
      description: 'Base width per group (Wide ResNet: 128).',
    }),
    downsample: downsampleParam,
  },
  inputs: { min: 1, max: 1 },
  keyParams: (p) => `${p.planes} planes${p.stride === 1 ? '' : ` · s ${p.stride}`}`,
  expand(p, input): BlockExpansion {
    const width = Math.floor(p.planes * (p.width_per_group / 64)) * p.groups;
    const out = p.planes * p.expansion;
    const proj = shortcut(needsProjection(p.downsample, input[0], out, p.stride), out, p.stride, 1);
    return {
      nodes: [
        {
          id: 'conv1',
          type: 'Conv2d',
          params: { out_channels: width, kernel_size: 1, bias: false },
        },
        { id: 'bn1', type: 'BatchNorm2d' },
        { id: 'relu1', type: 'ReLU' },
        {
          id: 'conv2',
          type: 'Conv2d',
          params: {
            out_channels: width,
            kernel_size: 3,
            stride: p.stride,
            padding: 1,
            groups: p.groups,
            bias: false,
          },
        },
        { id: 'bn2', type: 'BatchNorm2d' },
        { id: 'relu2', type: 'ReLU' },
        { id: 'conv3', type: 'Conv2d', params: { out_channels: out, kernel_size: 1, bias: false } },
        { id: 'bn3', type: 'BatchNorm2d' },
        ...proj.nodes,
        { id: 'add', type: 'Add' },
        { id: 'relu3', type: 'ReLU' },
      ],
      edges: [
        ...chain(['conv1', 'bn1', 'relu1', 'conv2', 'bn2', 'relu2', 'conv3', 'bn3']),
        { source: 'bn3', target: 'add', targetPort: 0 },
        ...proj.edges,
        { source: 'add', target: 'relu3' },
      ],
      output: 'relu3',
    };
  },
});
