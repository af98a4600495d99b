import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/analysis/analyze.js';
import { budgetInputText, parseBudgetInput } from '../../../src/core/budgets/budgetText.js';
import {
  budgetsOf,
  evaluateBudgets,
  setBudget,
  type Budgets,
} from '../../../src/core/budgets/budgets.js';
import { outputField } from '../../../src/core/budgets/outputField.js';
import type { GraphDocument } from '../../../src/core/graph/document.js';
import { chain, graph } from '../../helpers.js';

const template = (file: string): GraphDocument =>
  JSON.parse(readFileSync(`templates/${file}`, 'utf8')) as GraphDocument;
const lenet = analyze(template('lenet-5.nnb.json'));
const check = (budgets: Budgets, g = lenet) =>
  evaluateBudgets(budgets, g).map((r) => `${r.kind} ${r.status}: ${r.text}`);

describe('evaluateBudgets', () => {
  it('LeNet-5 (61,706 params) fails params ≤ 60,000 and passes ≤ 62,000 and ≤ 61,706', () => {
    expect(check({ params: { max: 60000 } })).toEqual(['params fail: 61,706 > 60,000']);
    expect(check({ params: { max: 62000 } })).toEqual(['params pass: 61,706 ≤ 62,000']);
    expect(check({ params: { max: 61706 } })).toEqual(['params pass: 61,706 ≤ 61,706']);
  });

  it('checks MACs and memory per sample (input + activations + parameters) as caps', () => {
    const { inputBytes, activationBytes, paramBytes } = lenet.totals;
    const memory = inputBytes + activationBytes + paramBytes;
    expect(check({ macs: { max: 416519 } })).toEqual(['macs fail: 416,520 > 416,519']);
    expect(evaluateBudgets({ memory: { max: memory } }, lenet)[0]?.status).toBe('pass');
    expect(evaluateBudgets({ memory: { max: memory - 1 } }, lenet)[0]?.status).toBe('fail');
  });

  it('checks the receptive field at the output as a floor, in display order', () => {
    // conv3×3 stack: three 3×3 convolutions see 7×7.
    const stack = analyze(template('conv3x3-stack.nnb.json'));
    expect(check({ receptiveField: { min: 8 }, params: { max: 1e9 } }, stack)).toEqual([
      expect.stringMatching(/^params pass/),
      'receptiveField fail: 7 < 8',
    ]);
    expect(check({ receptiveField: { min: 7 } }, stack)).toEqual(['receptiveField pass: 7 ≥ 7']);
    // LeNet-5 ends in Linear layers: every output sees the whole input.
    expect(check({ receptiveField: { min: 28 } })).toEqual([
      'receptiveField pass: whole input ≥ 28',
    ]);
  });

  it('says unknown, not pass or fail, while the graph has errors (partial totals)', () => {
    const broken = analyze(chain([1, 28, 28], ['fc', 'Linear', { out_features: 10 }]));
    expect(broken.hasErrors).toBe(true);
    expect(check({ params: { max: 1 } }, broken)).toEqual([
      'params unknown: ? ≤ 1 (the graph has errors)',
    ]);
  });

  it('checks nothing when no budget is set', () => expect(check({})).toEqual([]));
});

describe('outputField', () => {
  it('is the smallest field over every output and both axes', () => {
    const g = graph(
      [
        ['input', 'Input', { shape: [1, 32, 32] }],
        ['wide', 'Conv2d', { out_channels: 2, kernel_size: [3, 5] }],
        ['big', 'Conv2d', { out_channels: 2, kernel_size: 9 }],
      ],
      ['input->wide', 'input->big'],
    );
    expect(outputField(analyze(g))).toBe(3);
  });

  it('keeps a Flatten output’s map field; null without outputs', () => {
    const g = chain(
      [1, 28, 28],
      ['conv', 'Conv2d', { out_channels: 2, kernel_size: 5 }],
      ['flat', 'Flatten'],
    );
    expect(outputField(analyze(g))).toBe(5);
    expect(outputField(analyze(graph([], [])))).toBeNull();
  });
});

describe('setBudget', () => {
  const doc = template('lenet-5.nnb.json');

  it('sets caps as {max} and the receptive field as {min}, leaving the rest', () => {
    const once = setBudget(doc, 'params', 60000);
    const twice = setBudget(once, 'receptiveField', 28);
    expect(twice.budgets).toEqual({ params: { max: 60000 }, receptiveField: { min: 28 } });
    expect(setBudget(twice, 'params', 62000).budgets).toEqual({
      params: { max: 62000 },
      receptiveField: { min: 28 },
    });
    expect(twice.nodes).toBe(doc.nodes);
    expect(doc.budgets).toBeUndefined();
    // The same value again is no edit (no empty undo step).
    expect(setBudget(twice, 'params', 60000)).toBe(twice);
    expect(setBudget(doc, 'macs', undefined)).toBe(doc);
  });

  it('drops the field once the last budget is cleared', () => {
    const cleared = setBudget(setBudget(doc, 'macs', 5), 'macs', undefined);
    expect('budgets' in cleared).toBe(false);
    expect(budgetsOf(cleared)).toEqual({});
    // One shared empty object: the editor memoises its results on it.
    expect(budgetsOf(cleared)).toBe(budgetsOf(doc));
  });
});

describe('budget fields', () => {
  it.each([
    ['params', '60,000', 60000],
    ['params', '60000', 60000],
    ['params', '62k', 62000],
    ['macs', '1.5M', 1500000],
    ['memory', '250 kB', 250000],
    ['memory', '1.25 MB', 1250000],
    ['memory', '2 MiB', 2097152],
    ['receptiveField', ' 28 ', 28],
    ['params', '', undefined],
  ] as const)('%s "%s" reads as %s', (kind, text, value) => {
    expect(parseBudgetInput(kind, text)).toEqual({ ok: true, value });
  });

  it.each([
    ['params', 'lots'],
    ['params', '-5'],
    ['params', '12 MB'],
    ['memory', '12 parsecs'],
    ['receptiveField', '2.5'],
  ] as const)('%s "%s" is refused with an example', (kind, text) => {
    expect(parseBudgetInput(kind, text).ok).toBe(false);
  });

  it.each([
    ['params', 60000, '60,000'],
    ['memory', 250000, '250.00 kB'],
    ['memory', 250001, '250,001'],
    ['receptiveField', 28, '28'],
  ] as const)('%s %s is shown as "%s" and reads back the same', (kind, value, text) => {
    expect(budgetInputText(kind, value)).toBe(text);
    expect(parseBudgetInput(kind, text)).toEqual({ ok: true, value });
  });
});
