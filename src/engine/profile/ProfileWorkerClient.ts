import { Worker } from 'node:worker_threads';
import type { ProfileApi, ProfileParams } from '../../api/profile.js';
import type { LayerProfile } from '../../core/profile/layerProfile.js';
import { workerEntryUrl } from '../workerEntry.js';
import type { ProfileReply } from './profileWorker.js';

/**
 * ProfileApi answered in a worker thread (profileWorker.ts), one thread per profile, so timing
 * VGG-16 never holds the host's thread (the web server's socket, Electron's IPC). A new profile
 * ends the one still running (its caller is told so); the profile itself stops at its time limit.
 */
export class ProfileWorkerClient implements ProfileApi {
  private running: { worker: Worker; reject: (error: Error) => void } | null = null;

  run(params: ProfileParams): Promise<LayerProfile> {
    this.stop('a newer profile replaced it');
    const worker = new Worker(workerEntryUrl(import.meta.url, 'profileWorker'), {
      workerData: params,
    });
    return new Promise<LayerProfile>((resolve, reject) => {
      const current = { worker, reject };
      this.running = current;
      const settle = (): void => {
        if (this.running === current) this.running = null;
        void worker.terminate();
      };
      worker.once('message', (reply: ProfileReply) => {
        settle();
        if (reply.ok) resolve(reply.result as LayerProfile);
        else reject(new Error(reply.error));
      });
      worker.once('error', (error) => {
        settle();
        reject(new Error(`the profile stopped unexpectedly (${error.message})`));
      });
      worker.once('exit', (code) => {
        settle();
        reject(new Error(`the profile stopped unexpectedly (exit code ${code})`));
      });
    });
  }

  /** Ends the running profile, if any; its caller's promise rejects with `why`. */
  stop(why = 'stopped'): void {
    const running = this.running;
    if (running === null) return;
    this.running = null;
    running.reject(new Error(`The profile was stopped: ${why}.`));
    void running.worker.terminate();
  }
}

/** The profile engine for a host, loaded on first use (hosts import this without tfjs). */
export function lazyProfile(): () => Promise<ProfileApi> {
  let loading: Promise<ProfileApi> | undefined;
  return () => (loading ??= Promise.resolve(new ProfileWorkerClient()));
}
