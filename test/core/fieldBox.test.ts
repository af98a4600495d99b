import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { fieldBox } from '../../src/core/analysis/fieldBox.js';
import { chain } from '../helpers.js';

describe('fieldBox (receptive field overlay)', () => {
  const a = analyze(
    chain(
      [1, 28, 28],
      ['conv1', 'Conv2d', { out_channels: 4, kernel_size: 5, padding: 2 }],
      ['pool', 'MaxPool2d', { kernel_size: 2 }],
      ['conv2', 'Conv2d', { out_channels: 4, kernel_size: 5 }],
      ['flat', 'Flatten'],
    ),
  );

  it('is the analysis field: size, jump and start turned into pixels', () => {
    const rf = a.nodes.get('conv2')?.receptiveField;
    expect(rf).toEqual({ size: [14, 14], jump: [2, 2], start: [4.5, 4.5] });
    const box = fieldBox(a, 'conv2', 0, 0);
    expect(box?.center).toEqual([4.5, 4.5]);
    expect(box?.field).toEqual({ top: -2, left: -2, bottom: 11, right: 11 });
    expect(box?.visible).toEqual({ top: 0, left: 0, bottom: 11, right: 11 });
    expect((box?.field.bottom ?? 0) - (box?.field.top ?? 0) + 1).toBe(14);
    expect(fieldBox(a, 'conv2', 9, 9)?.field).toEqual({ top: 16, left: 16, bottom: 29, right: 29 });
    expect(fieldBox(a, 'conv2', 9, 9)?.visible).toEqual({
      top: 16,
      left: 16,
      bottom: 27,
      right: 27,
    });
  });

  it('has none for flat outputs or positions outside the output', () => {
    expect(fieldBox(a, 'flat', 0, 0)).toBeNull();
    expect(fieldBox(a, 'conv2', 10, 0)).toBeNull();
    expect(fieldBox(a, 'nope', 0, 0)).toBeNull();
  });
});
