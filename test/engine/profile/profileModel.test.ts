import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGraphDocument } from '../../../src/core/graph/parseGraph.js';
import type { GraphDocument } from '../../../src/core/graph/document.js';
import { layersTotalMs, median, stepAgreement } from '../../../src/core/profile/layerProfile.js';
import { profileModel, ProfileError } from '../../../src/engine/profile/profileModel.js';
import { selectBackend } from '../../../src/engine/selectBackend.js';

function template(file: string): GraphDocument {
  const outcome = readGraphDocument(
    JSON.parse(readFileSync(join(import.meta.dirname, '../../../templates', file), 'utf8')),
  );
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.graph;
}

/** The process's CPU time in milliseconds. */
const cpuClock = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

describe('profileModel', () => {
  it('times every LeNet-5 layer, and their sum is within 20% of a whole step (wasm)', async () => {
    const { backend } = await selectBackend('wasm');
    const graph = template('lenet-5.nnb.json');
    // CPU time, not wall-clock: this test shares two cores with other jobs, whose time slices
    // would land on whichever probe was running. Both clocks measure the same work here.
    const options = { batchSize: 32, backend, warmup: 10, runs: 9, clock: cpuClock };
    // The process's first profiles also pay V8 compiling and optimising tfjs's forward and
    // backprop code (a first kept profile measured the step ~40% slow; with 3 warm-up steps and
    // two profiles thrown away, a fresh-clone CI run still saw the step slow down the first kept
    // profiles: 0.74, 0.77, 0.78, 0.82, 0.87; here the first ~8 profiles): 10 warm-up steps each, six
    // thrown away.
    for (let i = 0; i < 6; i++) await profileModel(graph, options);
    // Plausibility, never absolute times: the layers alone add up to the step they make (the
    // median of five profiles' agreement, so one or two unlucky profiles do not decide: a
    // fresh-clone CI run measured 0.61, 0.98 and 0.86, the first with a step slowed by a pause).
    // Up to three rounds of five: a full parallel run once slowed every step of one round (not
    // the layers) by the other test worker's load — medians 0.78 there, 0.96–1.04 alone — while
    // a profiler that miscounts is off in every round.
    let agreement = Infinity;
    let profile: Awaited<ReturnType<typeof profileModel>> | undefined;
    for (let round = 0; round < 3 && Math.abs(agreement - 1) > 0.2; round++) {
      const profiles = [];
      for (let i = 0; i < 5; i++) profiles.push(await profileModel(graph, options));
      for (const p of profiles) {
        console.log(
          `LeNet-5 wasm batch 32, round ${round + 1}: layers ${layersTotalMs(p).toFixed(2)} ms, ` +
            `step ${p.stepMs.toFixed(2)} ms, ratio ${stepAgreement(p).toFixed(3)}`,
        );
      }
      agreement = median(profiles.map(stepAgreement));
      profile = profiles[0]!;
    }
    expect(Math.abs(agreement - 1)).toBeLessThanOrEqual(0.2);
    if (profile === undefined) throw new Error('no profile');
    expect(profile.backend).toBe('wasm');
    expect(profile.layers.map((l) => l.id)).toEqual([
      ...['conv1', 'relu1', 'pool1', 'conv2', 'relu2', 'pool2', 'flatten'],
      ...['fc1', 'relu3', 'fc2', 'relu4', 'fc3'],
    ]);
    for (const l of profile.layers) {
      expect(l.forwardMs).toBeGreaterThan(0);
      expect(l.backwardMs).toBeGreaterThanOrEqual(0);
    }
    // The convolutions' backward passes do real work (filter and input gradients).
    const conv2 = profile.layers.find((l) => l.id === 'conv2');
    expect(conv2?.backwardMs).toBeGreaterThan(0);
  }, 240_000);

  it('refuses a graph with errors, naming the problem', async () => {
    const graph = template('lenet-5.nnb.json');
    const broken: GraphDocument = {
      ...graph,
      edges: graph.edges.filter((e) => !(e.source === 'flatten' && e.target === 'fc1')),
      nodes: graph.nodes,
    };
    await selectBackend('cpu');
    const attempt = profileModel(
      { ...broken, edges: [...broken.edges, { source: 'pool2', target: 'fc1' }] },
      { batchSize: 2, backend: 'cpu' },
    );
    await expect(attempt).rejects.toThrow(ProfileError);
    await expect(attempt).rejects.toThrow(/cannot be profiled: .*fc1/);
  });

  it('stops at its time limit with a message instead of running on', async () => {
    await selectBackend('cpu');
    const attempt = profileModel(template('lenet-5.nnb.json'), {
      batchSize: 4,
      backend: 'cpu',
      limitMs: 0,
    });
    await expect(attempt).rejects.toThrow(/limit of 0 s; try a smaller batch size/);
  });
});
