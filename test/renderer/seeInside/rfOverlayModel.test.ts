import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { analyze, type GraphAnalysis } from '../../../src/core/analysis/analyze';
import type { GraphDocument } from '../../../src/core/graph/document';
import { RfOverlay } from '../../../renderer/inspect/RfOverlay';
import {
  boxText,
  cellAt,
  centreUnit,
  rfAt,
  rfOverlayModel,
  type RfOverlayModel,
} from '../../../renderer/inspect/rfOverlayModel';
import lenet from '../../../templates/lenet-5.nnb.json';
import resnet from '../../../templates/resnet-18.nnb.json';
import cifar from '../../../templates/resnet-cifar.nnb.json';

const LENET = analyze(lenet as unknown as GraphDocument);
const RESNET = analyze(resnet as unknown as GraphDocument);
const CIFAR = analyze(cifar as unknown as GraphDocument);

function modelOf(a: GraphAnalysis, id: string): RfOverlayModel {
  const outcome = rfOverlayModel(a, id);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.model;
}

/**
 * The box the analysis' field implies for unit (row, col), written out independently of
 * fieldBox: centre = start + index·jump, extent = size pixels around it (Araujo et al.).
 */
function expectedBox(a: GraphAnalysis, id: string, row: number, col: number) {
  const f = a.nodes.get(id)?.receptiveField;
  if (!f) throw new Error(`no field for ${id}`);
  const cy = f.start[0] + row * f.jump[0];
  const cx = f.start[1] + col * f.jump[1];
  return {
    top: cy - (f.size[0] - 1) / 2,
    left: cx - (f.size[1] - 1) / 2,
    bottom: cy + (f.size[0] - 1) / 2,
    right: cx + (f.size[1] - 1) / 2,
  };
}

const CASES: readonly [string, GraphAnalysis, string, readonly [number, number][]][] = [
  [
    'LeNet-5',
    LENET,
    'conv2',
    [
      [0, 0],
      [0, 9],
      [9, 0],
      [9, 9],
      [4, 5],
    ],
  ],
  [
    'LeNet-5',
    LENET,
    'pool2',
    [
      [0, 0],
      [4, 4],
      [2, 3],
      [0, 4],
    ],
  ],
  [
    'ResNet-18',
    RESNET,
    'layer2_0',
    [
      [0, 0],
      [27, 27],
      [14, 3],
    ],
  ],
  [
    'ResNet-18',
    RESNET,
    'layer4_1',
    [
      [0, 0],
      [6, 6],
      [3, 3],
    ],
  ],
  [
    'ResNet (CIFAR)',
    CIFAR,
    'layer3_2',
    [
      [0, 0],
      [7, 7],
      [3, 4],
    ],
  ],
];

describe('receptive-field overlay', () => {
  it.each(CASES)('%s %s: the box is the analysis field at every picked unit', (_, a, id, at) => {
    const model = modelOf(a, id);
    const rf = a.nodes.get(id)?.receptiveField;
    expect(model.field).toEqual(rf);
    for (const [row, col] of at) {
      const p = rfAt(a, model, row, col);
      expect(p, `${id} (${row}, ${col})`).not.toBeNull();
      const { field, visible, center } = p!.box;
      expect(field).toEqual(expectedBox(a, id, row, col));
      expect(field.bottom - field.top + 1).toBe(rf?.size[0]);
      expect(field.right - field.left + 1).toBe(rf?.size[1]);
      expect(center).toEqual([
        (rf?.start[0] ?? 0) + row * (rf?.jump[0] ?? 0),
        (rf?.start[1] ?? 0) + col * (rf?.jump[1] ?? 0),
      ]);
      // Clipped to the image; what is cut off is the padding on that side.
      const [, ih = 0, iw = 0] = a.nodes.get('input')?.outputShape ?? [];
      expect(visible).toEqual({
        top: Math.max(0, field.top),
        left: Math.max(0, field.left),
        bottom: Math.min(ih - 1, field.bottom),
        right: Math.min(iw - 1, field.right),
      });
      expect(p!.outside.top).toBe(visible.top - field.top);
      expect(p!.outside.right).toBe(field.right - visible.right);
    }
  });

  it('LeNet-5 conv2: size 14, jump 2, start 4.5 — the corner unit reaches 2 px into the padding', () => {
    const model = modelOf(LENET, 'conv2');
    expect(model.output).toEqual({ rows: 10, cols: 10 });
    expect(model.input).toEqual({ id: 'input', rows: 28, cols: 28 });
    expect(model.field).toEqual({ size: [14, 14], jump: [2, 2], start: [4.5, 4.5] });
    // The view holds the image and every field of the node: −2 … 29.
    expect(model.view).toEqual({ top: -2, left: -2, bottom: 29, right: 29 });
    const corner = rfAt(LENET, model, 0, 0)!;
    expect(boxText(corner.box.field)).toBe('rows −2…11, cols −2…11');
    expect(corner.outside).toEqual({ top: 2, left: 2, bottom: 0, right: 0 });
    // Positions are clamped into the output; pointer fractions map onto cells.
    expect(rfAt(LENET, model, 40, -3)).toMatchObject({ row: 9, col: 0 });
    expect(cellAt(model, 0.999, 0)).toEqual({ row: 0, col: 9 });
    expect(centreUnit(model)).toEqual({ row: 4, col: 4 });
  });

  it('explains merges: a residual block draws the larger of its branches', () => {
    const model = modelOf(RESNET, 'layer1_0');
    const sizes = model.branches.map((b) => [b.source, b.size?.[0], b.drawn]);
    const block = RESNET.nodes.get('layer1_0');
    // Main path (bn2) sees more than the identity shortcut (maxpool's field).
    expect(sizes).toEqual([
      ['layer1_0/bn2', block?.receptiveField?.size[0], true],
      ['maxpool', RESNET.nodes.get('maxpool')?.receptiveField?.size[0], false],
    ]);
    expect(model.notes.join(' ')).toMatch(/largest, max\(\d+, \d+\) = \d+/);
    expect(modelOf(LENET, 'conv2').branches).toEqual([]);
  });

  it('says why there is nothing to draw for flat outputs', () => {
    const outcome = rfOverlayModel(LENET, 'fc1');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toContain('not a feature map');
  });

  it('renders the numbers of the picked unit', () => {
    const html = renderToStaticMarkup(
      createElement(RfOverlay, { analysis: LENET, nodeId: 'conv2', initial: { row: 9, col: 0 } }),
    );
    const text = (testId: string) =>
      new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)?.[1];
    expect(text('rf-size')).toBe('14');
    expect(text('rf-jump')).toBe('2');
    expect(text('rf-start')).toBe('4.5');
    expect(text('rf-box')).toBe('rows 16…29, cols −2…11');
    expect(text('rf-visible')).toBe('rows 16…27, cols 0…11');
    expect(html).toContain('data-testid="rf-field"');
  });
});
