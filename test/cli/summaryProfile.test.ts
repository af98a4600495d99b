import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nnb, ROOT } from './nnb.js';

const lenet = join(ROOT, 'templates', 'lenet-5.nnb.json');

describe('nnb summary --profile', () => {
  it('adds a measured time column beside MACs, saying what was measured', () => {
    const r = nnb('summary', lenet, '--profile', '--backend', 'wasm', '--batch-size', '4');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = r.stdout;
    expect(text).toContain('Total MACs: 416,520');
    expect(text).toContain(
      'Measured on wasm, batch 4: forward + backward of each layer alone, 2 warm-up runs, then the median of 5.',
    );
    expect(text).toMatch(/^Layer \(type\)\s+MACs\s+Forward\s+Backward\s+Time$/m);
    // Every layer has a row with its MACs and three times; values are not asserted (machines differ).
    const ms = String.raw`\d[\d,.]* ms`;
    expect(text).toMatch(
      new RegExp(`^conv2 \\(Conv2d\\)\\s+240,000\\s+${ms}\\s+${ms}\\s+${ms}$`, 'm'),
    );
    for (const id of ['conv1', 'relu1', 'pool1', 'flatten', 'fc1', 'fc3'])
      expect(text).toMatch(
        new RegExp(`^${id} \\(\\w+\\)\\s+[\\d,]+\\s+${ms}\\s+${ms}\\s+${ms}$`, 'm'),
      );
    expect(text).toMatch(/^Layers: [\d.,]+ ms · whole step: [\d.,]+ ms \([+−]?\d+%\)$/m);
  }, 120_000);

  it('profiles nothing without --profile, and nothing for a graph with errors', () => {
    expect(nnb('summary', lenet).stdout).not.toContain('Measured on');
    // A Linear straight after a convolution: an error the summary reports, so nothing is timed.
    const broken = join(mkdtempSync(join(tmpdir(), 'nnb-profile-')), 'broken.nnb.json');
    writeFileSync(
      broken,
      JSON.stringify({
        format: 'nnb-graph',
        version: 1,
        nodes: [
          { id: 'input', type: 'Input', params: { shape: [1, 28, 28] } },
          { id: 'conv1', type: 'Conv2d', params: { out_channels: 6, kernel_size: 5 } },
          { id: 'fc1', type: 'Linear', params: { in_features: 10, out_features: 10 } },
        ],
        edges: [
          { source: 'input', target: 'conv1' },
          { source: 'conv1', target: 'fc1' },
        ],
      }),
    );
    const r = nnb('summary', broken, '--profile', '--backend', 'wasm');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('Measured on');
  });

  it('refuses a batch size below 1 as a usage error', () => {
    const r = nnb('summary', lenet, '--profile', '--batch-size', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--batch-size/);
  });
});
