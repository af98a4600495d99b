import type { GraphEdge, GraphNode } from '../graph/document.js';
import { int, oneOf } from '../params/paramSpec.js';
import { BLOCK_INPUT, defineBlock, type BlockExpansion } from './BlockDefinition.js';

/** The shortcut branch: identity, or a strided 1×1 conv + BN when the shapes would not match. */
export function shortcut(
  needed: boolean,
  channels: number,
  stride: number,
  addPort: number,
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  if (!needed)
    return { nodes: [], edges: [{ source: BLOCK_INPUT, target: 'add', targetPort: addPort }] };
  return {
    nodes: [
      {
        id: 'proj_conv',
        type: 'Conv2d',
        params: { out_channels: channels, kernel_size: 1, stride, bias: false },
      },
      { id: 'proj_bn', type: 'BatchNorm2d' },
    ],
    edges: [
      { source: BLOCK_INPUT, target: 'proj_conv' },
      { source: 'proj_conv', target: 'proj_bn' },
      { source: 'proj_bn', target: 'add', targetPort: addPort },
    ],
  };
}

/** Links `ids` one after another, starting from the block input. */
export function chain(ids: readonly string[]): GraphEdge[] {
  return ids.map((id, i) => ({
    source: i === 0 ? BLOCK_INPUT : (ids[i - 1] ?? BLOCK_INPUT),
    target: id,
  }));
}

export function needsProjection(
  mode: 'auto' | 'always' | 'never',
  inChannels: number | undefined,
  out: number,
  stride: number,
): boolean {
  return mode === 'always' || (mode === 'auto' && (stride !== 1 || inChannels !== out));
}

const downsample = oneOf({
  options: ['auto', 'always', 'never'],
  default: 'auto',
  advanced: true,
  description:
    'Shortcut projection (1×1 conv + BN): when stride ≠ 1 or channels change ("auto"), always or never.',
});

/** torchvision's BasicBlock (ResNet-18/34): conv3×3-BN-ReLU-conv3×3-BN + shortcut, Add, ReLU. */
export const ResidualBlock = defineBlock({
  type: 'ResidualBlock',
  category: 'Blocks',
  idStem: 'block',
  starter: { out_channels: 64 },
  summary: 'ResNet basic block: two 3×3 convs with batch norm and a skip connection.',
  explanation:
    'y = ReLU(BN(conv3×3(ReLU(BN(conv3×3(x))))) + shortcut(x)), as torchvision BasicBlock. The first ' +
    'conv carries the stride. The shortcut is the identity, or a 1×1 conv (same stride, no bias) + BN ' +
    'when stride ≠ 1 or the channel count changes, so the two branches can be added. ' +
    'Params: 9·C_in·C + 9·C·C + 4·C (BN) [+ C_in·C + 2·C for the projection].',
  params: {
    out_channels: int({ min: 1, description: 'Channels of both convs and of the block output.' }),
    stride: int({
      min: 1,
      default: 1,
      description: 'Stride of the first conv and of the projection.',
    }),
    downsample,
  },
  inputs: { min: 1, max: 1 },
  keyParams: (p) => `${p.out_channels} ch${p.stride === 1 ? '' : ` · s ${p.stride}`}`,
  expand({ out_channels: c, stride, downsample: mode }, input): BlockExpansion {
    const proj = shortcut(needsProjection(mode, input[0], c, stride), c, stride, 1);
    return {
      nodes: [
        {
          id: 'conv1',
          type: 'Conv2d',
          params: { out_channels: c, kernel_size: 3, stride, padding: 1, bias: false },
        },
        { id: 'bn1', type: 'BatchNorm2d' },
        { id: 'relu1', type: 'ReLU' },
        {
          id: 'conv2',
          type: 'Conv2d',
          params: { out_channels: c, kernel_size: 3, padding: 1, bias: false },
        },
        { id: 'bn2', type: 'BatchNorm2d' },
        ...proj.nodes,
        { id: 'add', type: 'Add' },
        { id: 'relu2', type: 'ReLU' },
      ],
      edges: [
        ...chain(['conv1', 'bn1', 'relu1', 'conv2', 'bn2']),
        { source: 'bn2', target: 'add', targetPort: 0 },
        ...proj.edges,
        { source: 'add', target: 'relu2' },
      ],
      output: 'relu2',
    };
  },
});

export { downsample as downsampleParam };
