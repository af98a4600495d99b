import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze, type GraphAnalysis } from '../src/core/analysis/analyze.js';
import type { GraphDocument } from '../src/core/graph/document.js';

// Golden totals of the shipped templates. The model numbers are torchvision's own
// (test/oracle/torchOracle.test.ts re-derives every one of them from PyTorch).
const templatesDir = fileURLToPath(new URL('../templates/', import.meta.url));
const templateFiles = readdirSync(templatesDir)
  .filter((f) => f.endsWith('.nnb.json'))
  .sort();

function load(file: string): GraphDocument {
  return JSON.parse(readFileSync(templatesDir + file, 'utf8')) as GraphDocument;
}

const analyses = new Map<string, GraphAnalysis>();
function analysisOf(file: string): GraphAnalysis {
  let analysis = analyses.get(file);
  if (analysis === undefined) {
    analysis = analyze(load(file));
    analyses.set(file, analysis);
  }
  return analysis;
}

interface Headline {
  readonly file: string;
  readonly params: number;
  readonly macs?: number;
  readonly output: readonly number[];
}

const HEADLINES: readonly Headline[] = [
  { file: 'lenet-5.nnb.json', params: 61_706, macs: 416_520, output: [10] },
  { file: 'alexnet.nnb.json', params: 61_100_840, macs: 714_188_480, output: [1000] },
  { file: 'vgg-16.nnb.json', params: 138_357_544, macs: 15_470_264_320, output: [1000] },
  { file: 'resnet-18.nnb.json', params: 11_689_512, macs: 1_814_073_344, output: [1000] },
  { file: 'mlp-digits.nnb.json', params: 23_860, macs: 23_820, output: [10] },
  // ResNet-20 with 1×1 projection shortcuts (option B): 269,722 + 2 projections (576 + 2,176).
  { file: 'resnet-cifar.nnb.json', params: 272_474, macs: 40_813_184, output: [10] },
  { file: 'conv7x7-single.nnb.json', params: 200_768, macs: 629_407_744, output: [64, 56, 56] },
  { file: 'conv3x3-stack.nnb.json', params: 110_784, macs: 346_816_512, output: [64, 56, 56] },
];

/** Receptive fields quoted in the literature (Araujo et al. 2019 tables; the 7×7 vs 3×3 lesson). */
const FIELDS = [
  { file: 'alexnet.nnb.json', node: 'pool5', size: 195, jump: 32 },
  { file: 'vgg-16.nnb.json', node: 'pool5', size: 212, jump: 32 },
  { file: 'resnet-18.nnb.json', node: 'layer4_1', size: 435, jump: 32 },
  { file: 'conv7x7-single.nnb.json', node: 'relu', size: 7, jump: 1 },
  { file: 'conv3x3-stack.nnb.json', node: 'relu3', size: 7, jump: 1 },
] as const;

describe('templates', () => {
  it('every template has a golden row', () => {
    expect(HEADLINES.map((h) => h.file).sort()).toEqual(templateFiles);
  });

  it.each(templateFiles)(
    '%s is a well-formed document with a name and a one-sentence description',
    (file) => {
      const doc = load(file);
      expect(doc.format).toBe('nnb-graph');
      expect(doc.version).toBe(1);
      expect(doc.name).toBeTruthy();
      expect(doc.description).toMatch(/^\S.*[.]$/);
    },
  );

  it.each(templateFiles)('%s analyzes without diagnostics', (file) => {
    const { diagnostics } = analysisOf(file);
    expect(diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`)).toEqual([]);
  });

  it.each(HEADLINES)('$file: $params params', ({ file, params, macs, output }) => {
    const analysis = analysisOf(file);
    expect(analysis.totals.params).toBe(params);
    expect(analysis.totals.trainableParams).toBe(params);
    if (macs !== undefined) expect(analysis.totals.macs).toBe(macs);
    expect(analysis.outputs).toHaveLength(1);
    expect(analysis.nodes.get(analysis.outputs[0] ?? '')?.outputShape).toEqual(output);
  });

  it.each(FIELDS)(
    '$file: receptive field at $node is $size (jump $jump)',
    ({ file, node, size, jump }) => {
      const field = analysisOf(file).nodes.get(node)?.receptiveField;
      expect(field?.size).toEqual([size, size]);
      expect(field?.jump).toEqual([jump, jump]);
    },
  );

  it('the instructor pair: same field, 200,768 vs 110,784 parameters', () => {
    const single = analysisOf('conv7x7-single.nnb.json');
    const stack = analysisOf('conv3x3-stack.nnb.json');
    expect(single.nodes.get('conv')?.receptiveField?.size).toEqual([7, 7]);
    expect(stack.nodes.get('conv3')?.receptiveField?.size).toEqual([7, 7]);
    expect(stack.nodes.get('conv1')?.receptiveField?.size).toEqual([3, 3]);
    expect(stack.nodes.get('conv2')?.receptiveField?.size).toEqual([5, 5]);
    expect(single.totals.params / stack.totals.params).toBeCloseTo(200_768 / 110_784);
  });

  it('ResNet-18 uses eight ResidualBlocks named as torchvision names them', () => {
    const analysis = analysisOf('resnet-18.nnb.json');
    const blocks = analysis.order.filter((id) => analysis.nodes.get(id)?.type === 'ResidualBlock');
    expect(blocks).toEqual([
      'layer1_0',
      'layer1_1',
      'layer2_0',
      'layer2_1',
      'layer3_0',
      'layer3_1',
      'layer4_0',
      'layer4_1',
    ]);
    const projected = blocks.filter((id) => analysis.nodes.has(`${id}/proj_conv`));
    expect(projected).toEqual(['layer2_0', 'layer3_0', 'layer4_0']);
  });
});

describe('templates/index.json', () => {
  const index = JSON.parse(readFileSync(templatesDir + 'index.json', 'utf8')) as {
    templates: { file: string; title: string; description: string; category: string }[];
  };

  it('lists every template exactly once', () => {
    expect(index.templates.map((t) => t.file).sort()).toEqual(templateFiles);
  });

  it.each(index.templates)(
    '$file has a title, a one-line description and a known category',
    (entry) => {
      expect(entry.title).toBeTruthy();
      expect(entry.description).toMatch(/^\S[^\n]*[.]$/);
      expect(['beginner', 'instructor', 'practitioner']).toContain(entry.category);
    },
  );
});
