import type { GraphDocument, GraphEdge, GraphNode } from '../../src/core/graph/document';

/**
 * A ResNet-style chain written out in primitives: a stem, then `blocks` BasicBlocks (conv → bn →
 * relu → conv → bn, plus the skip edge into `Add`, then ReLU), then a head. Every fourth block
 * downsamples (channels doubled up to 512), so its skip path has a 1×1 conv and a BatchNorm of its
 * own. 7 nodes per block, 9 when downsampling: `residualChain(67)` has 506 nodes.
 */
export function residualChain(blocks: number): GraphDocument {
  const nodes: GraphNode[] = [
    { id: 'input', type: 'Input', params: { shape: [3, 32, 32] } },
    { id: 'stem', type: 'Conv2d', params: { out_channels: 16, kernel_size: 3, padding: 1 } },
  ];
  const edges: GraphEdge[] = [{ source: 'input', target: 'stem' }];
  let last = 'stem';
  let channels = 16;
  for (let b = 0; b < blocks; b++) {
    const down = b > 0 && b % 4 === 0;
    if (down) channels = Math.min(2 * channels, 512);
    const p = (s: string) => `b${b}_${s}`;
    const conv = (id: string, stride: number, k = 3) => ({
      id: p(id),
      type: 'Conv2d',
      params: { out_channels: channels, kernel_size: k, stride, padding: k === 3 ? 1 : 0 },
    });
    nodes.push(
      conv('conv1', down ? 2 : 1),
      { id: p('bn1'), type: 'BatchNorm2d' },
      { id: p('relu1'), type: 'ReLU' },
      conv('conv2', 1),
      { id: p('bn2'), type: 'BatchNorm2d' },
      { id: p('add'), type: 'Add' },
      { id: p('relu2'), type: 'ReLU' },
    );
    const chain = [last, p('conv1'), p('bn1'), p('relu1'), p('conv2'), p('bn2'), p('add')];
    for (let i = 1; i < chain.length; i++)
      edges.push({ source: chain[i - 1] as string, target: chain[i] as string });
    if (down) {
      nodes.push(conv('down', 2, 1), { id: p('down_bn'), type: 'BatchNorm2d' });
      edges.push(
        { source: last, target: p('down') },
        { source: p('down'), target: p('down_bn') },
        { source: p('down_bn'), target: p('add') },
      );
    } else edges.push({ source: last, target: p('add') });
    edges.push({ source: p('add'), target: p('relu2') });
    last = p('relu2');
  }
  nodes.push(
    { id: 'pool', type: 'AdaptiveAvgPool2d', params: { output_size: 1 } },
    { id: 'flatten', type: 'Flatten' },
    { id: 'fc', type: 'Linear', params: { out_features: 10 } },
  );
  edges.push(
    { source: last, target: 'pool' },
    { source: 'pool', target: 'flatten' },
    { source: 'flatten', target: 'fc' },
  );
  return { format: 'nnb-graph', version: 1, name: `Residual chain ×${blocks}`, nodes, edges };
}
