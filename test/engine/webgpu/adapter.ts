// Whether this machine has a WebGPU adapter for the webgpu tests: llvmpipe in CI, a GPU
// elsewhere. Without one they are skipped, saying why; NNB_REQUIRE_GPU=1 (set by .ci/run, see
// the README) makes that a failure instead.
import { probeAdapter, type ProbeResult } from '../../../src/engine/webgpu/adapterProbe.js';

export const probe: ProbeResult = await probeAdapter();

if (!probe.ok) {
  if (process.env.NNB_REQUIRE_GPU === '1') {
    throw new Error(`NNB_REQUIRE_GPU=1 but no WebGPU adapter: ${probe.reason}`);
  }
  console.warn(`webgpu tests skipped: no WebGPU adapter (${probe.reason})`);
}
