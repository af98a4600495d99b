import type { GraphDocument, GraphEdge, GraphNode } from '../src/core/graph/document.js';

/**
 * torchvision's ResNet-50/101/152 as a graph document: `blocks` Bottlenecks per stage. With
 * `primitives`, every block is written out as the Conv2d/BatchNorm2d/ReLU/Add nodes a user would
 * draw by hand (ResNet-152: ~520 nodes), which is what the editor's analysis must keep up with.
 */
export function bottleneckResNet(stages: readonly number[], primitives: boolean): GraphDocument {
  const nodes: GraphNode[] = [
    { id: 'input', type: 'Input', params: { shape: [3, 224, 224] } },
    {
      id: 'conv1',
      type: 'Conv2d',
      params: { out_channels: 64, kernel_size: 7, stride: 2, padding: 3, bias: false },
    },
    { id: 'bn1', type: 'BatchNorm2d' },
    { id: 'relu', type: 'ReLU' },
    { id: 'maxpool', type: 'MaxPool2d', params: { kernel_size: 3, stride: 2, padding: 1 } },
  ];
  const edges: GraphEdge[] = [];
  const link = (source: string, target: string, targetPort?: number) =>
    edges.push({ source, target, ...(targetPort !== undefined && { targetPort }) });
  ['input', 'conv1', 'bn1', 'relu', 'maxpool'].reduce((a, b) => (link(a, b), b));
  let prev = 'maxpool';
  let channels = 64;
  stages.forEach((count, s) => {
    const planes = 64 * 2 ** s;
    for (let b = 0; b < count; b++) {
      const id = `layer${s + 1}_${b}`;
      const stride = b === 0 && s > 0 ? 2 : 1;
      if (!primitives) {
        nodes.push({ id, type: 'Bottleneck', params: { planes, stride } });
        link(prev, id);
      } else {
        const conv = (name: string, out: number, k: number, st = 1) =>
          nodes.push({
            id: `${id}_${name}`,
            type: 'Conv2d',
            params: {
              out_channels: out,
              kernel_size: k,
              stride: st,
              padding: (k - 1) / 2,
              bias: false,
            },
          });
        const seq = (names: string[], from: string) =>
          names.reduce((a, n) => (link(a, `${id}_${n}`), `${id}_${n}`), from);
        conv('conv1', planes, 1);
        conv('conv2', planes, 3, stride);
        conv('conv3', planes * 4, 1);
        for (const n of ['bn1', 'bn2', 'bn3'])
          nodes.push({ id: `${id}_${n}`, type: 'BatchNorm2d' });
        for (const n of ['relu1', 'relu2', 'relu3']) nodes.push({ id: `${id}_${n}`, type: 'ReLU' });
        nodes.push({ id: `${id}_add`, type: 'Add' });
        const main = seq(['conv1', 'bn1', 'relu1', 'conv2', 'bn2', 'relu2', 'conv3', 'bn3'], prev);
        link(main, `${id}_add`, 0);
        if (stride !== 1 || channels !== planes * 4) {
          conv('proj_conv', planes * 4, 1, stride);
          nodes.push({ id: `${id}_proj_bn`, type: 'BatchNorm2d' });
          link(seq(['proj_conv', 'proj_bn'], prev), `${id}_add`, 1);
        } else {
          link(prev, `${id}_add`, 1);
        }
        link(`${id}_add`, `${id}_relu3`);
        prev = `${id}_relu3`;
        channels = planes * 4;
        continue;
      }
      prev = id;
      channels = planes * 4;
    }
  });
  nodes.push(
    { id: 'avgpool', type: 'AdaptiveAvgPool2d', params: { output_size: 1 } },
    { id: 'flatten', type: 'Flatten' },
    { id: 'fc', type: 'Linear', params: { out_features: 1000 } },
  );
  [prev, 'avgpool', 'flatten', 'fc'].reduce((a, b) => (link(a, b), b));
  return { format: 'nnb-graph', version: 1, name: `ResNet-${depth(stages)}`, nodes, edges };
}

const depth = (stages: readonly number[]) => stages.reduce((a, b) => a + b, 0) * 3 + 2;

export const RESNET_50 = [3, 4, 6, 3] as const;
export const RESNET_152 = [3, 8, 36, 3] as const;
