/**
 * Entry point of the training worker thread: runs one training and posts its TrainEvents to the
 * parent, which sends `{ type: 'pause' | 'resume' | 'stop' }` messages back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainConfig } from '../../api/training.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { RunControl } from '../train/RunControl.js';
import { runTraining } from '../train/runTraining.js';

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
await runTraining({ ...input, control, emit: (event) => port.postMessage(event) });
port.close();
