/**
 * Entry point of the training worker thread: runs one training and posts its TrainEvents to the
 * parent, which sends `{ type: 'pause' | 'resume' | 'stop' }` messages back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainConfig } from '../../api/training.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { RunControl } from '../train/RunControl.js';
import { threadsFor } from '../train/trainingThreads.js';
import { prestartGradientWorker } from '../wasm/RemoteReplica.js';

export interface WorkerInput {
  readonly runId: string;
  readonly graph: GraphDocument;
  readonly config: TrainConfig;
}

export type WorkerCommand = { readonly type: 'pause' | 'resume' | 'stop' };

const port = parentPort;
if (port === null) throw new Error('trainingWorker.ts must run in a worker thread.');
const input = workerData as WorkerInput;
const control = new RunControl();
port.on('message', (command: WorkerCommand) => {
  if (command.type === 'pause') control.pause();
  else if (command.type === 'resume') control.resume();
  else if (command.type === 'stop') control.stop();
});
// The data-parallel gradient worker boots on the second core while this thread loads the engine
// (as `nnb train` does, src/cli/earlyStart.ts); a run that ends up on one thread ends it unused.
const backend =
  input.config.backend === 'auto' ? (process.env.NNB_BACKEND ?? 'auto') : input.config.backend;
if ((backend === 'auto' || backend === 'wasm') && threadsFor('wasm') === 2)
  prestartGradientWorker();
const { runTraining } = await import('../train/runTraining.js');
await runTraining({ ...input, control, emit: (event) => port.postMessage(event) });
port.close();
