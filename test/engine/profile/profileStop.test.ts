// Stopping a profile (the Profile panel's Stop) through the handlers both hosts share, with the
// real worker thread: `profile.stop` ends the running profile at once; the next one runs as usual.
import { describe, expect, it } from 'vitest';
import { dispatchEngineRequest, type EngineReply } from '../../../src/api/engineDispatch.js';
import { ProfileWorkerClient } from '../../../src/engine/profile/ProfileWorkerClient.js';
import { sharedHandlers } from '../../../src/server/engineHandlers.js';
import { TemplateStore } from '../../../src/server/templateStore.js';
import { TEMPLATES, tempDir, template } from '../trainHelpers.js';

const client = new ProfileWorkerClient();
const handlers = sharedHandlers({
  templates: new TemplateStore(TEMPLATES),
  training: async () => undefined,
  noEngine: 'no engine',
  runsDir: tempDir(),
  profile: async () => client,
});
const call = (method: string, params: unknown): Promise<EngineReply> =>
  dispatchEngineRequest(handlers as Parameters<typeof dispatchEngineRequest>[0], {
    method,
    params,
  });

describe('profile.stop', () => {
  it('ends a running profile at once, and the next profile runs as usual', async () => {
    // ResNet-18 at 224×224, batch 16: tens of seconds on these cores, far past the stop below.
    const long = call('profile.run', {
      graph: template('resnet-18'),
      batchSize: 16,
      backend: 'cpu',
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stoppedAt = performance.now();
    expect(await call('profile.stop', {})).toEqual({ ok: true, result: null });
    const reply = await long;
    expect(performance.now() - stoppedAt).toBeLessThan(1000);
    expect(reply.ok).toBe(false);
    expect(reply.ok ? '' : reply.error).toContain('The profile was stopped: stopped by the user.');
    // Nothing running: a no-op, not an error.
    expect(await call('profile.stop', {})).toEqual({ ok: true, result: null });
    expect((await call('profile.stop', { extra: 1 })).ok).toBe(false);

    const next = await call('profile.run', {
      graph: template('lenet-5'),
      batchSize: 4,
      backend: 'cpu',
    });
    expect(next.ok).toBe(true);
  }, 120_000);
});
