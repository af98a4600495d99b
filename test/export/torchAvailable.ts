import { spawnSync } from 'node:child_process';

/** Debian's interpreter with python3-torch (overridable), and why it cannot be used, if it cannot. */
export const PYTHON = process.env.NNB_ORACLE_PYTHON ?? '/usr/bin/python3';

function probe(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} cannot be run (${r.error.message})`;
  if (r.status !== 0) return `${PYTHON} cannot import torch`;
  return null;
}

export const torchMissing = probe();
if (torchMissing !== null && process.env.NNB_REQUIRE_TORCH === '1') {
  throw new Error(`NNB_REQUIRE_TORCH=1 but PyTorch cannot run: ${torchMissing}`);
}
if (torchMissing !== null) console.warn(`Skipping PyTorch export checks: ${torchMissing}`);
