import tf from '../tfjs.cjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageInput, Prediction } from '../../api/training.js';
import { checkImageSize, toSample } from '../data/decodeImage.js';
import { makeBatch } from '../data/makeBatch.js';
import { CompiledModel } from '../model/CompiledModel.js';
import { quietTfjs } from '../selectBackend.js';
import { batchTensors } from '../train/batchTensors.js';
import {
  findCheckpoint,
  loadCheckpoint,
  restoreWeights,
  type ModelMeta,
} from '../train/checkpoint.js';
import { logProbabilities, outputKind } from '../train/loss.js';
import { modelMetaProblem } from './modelMetaProblem.js';

/** The model folder of a run: `best/`, else `last/` (or the complete copy an interrupted
 * checkpoint switch left beside them), else the folder itself. */
export function modelFolder(run: string): string {
  for (const sub of ['best', 'last']) {
    const folder = findCheckpoint(join(run, sub));
    if (folder !== null && existsSync(join(folder, 'model.json'))) return folder;
  }
  if (existsSync(join(run, 'model.json'))) return run;
  throw new Error(
    `${run} holds no trained model (no best/, last/ or model.json). Train one with "nnb train".`,
  );
}

/** A trained model reloaded from a run folder, classifying images as its training data was prepared. */
export class Predictor {
  private constructor(
    private readonly model: CompiledModel,
    readonly meta: ModelMeta,
  ) {}

  static load(run: string): Predictor {
    quietTfjs();
    const folder = modelFolder(run);
    const checkpoint = loadCheckpoint(folder);
    const model = CompiledModel.compile(checkpoint.graph);
    const problem = modelMetaProblem(checkpoint.meta, model.inputShape);
    if (problem !== undefined) {
      model.dispose();
      throw new Error(
        `${join(folder, 'model.json')}: ${problem}. The run's files were edited or damaged; train the network again.`,
      );
    }
    restoreWeights(model, checkpoint);
    return new Predictor(model, checkpoint.meta);
  }

  /** Class probabilities of one image of any size (resized, converted and normalized). */
  predict(image: ImageInput): Prediction {
    const [c, h, w] = this.meta.dataShape as [1 | 3, number, number];
    checkImageSize(image.width, image.height, 'The image to classify');
    const rgba = new Uint8Array(image.width * image.height * 4);
    for (let i = 0; i < image.width * image.height; i++) {
      for (let k = 0; k < 4; k++) {
        const from = image.channels === 1 ? 0 : k;
        rgba[i * 4 + k] =
          k === 3 && image.channels !== 4
            ? 255
            : Number(image.data[i * image.channels + Math.min(from, image.channels - 1)] ?? 0);
      }
    }
    const sample = toSample({ width: image.width, height: image.height, data: rgba }, h, w, c);
    const batch = makeBatch({ images: sample, labels: new Uint8Array(1), count: 1 }, [0], {
      shape: [c, h, w],
      mean: this.meta.mean,
      std: this.meta.std,
      flat: this.model.inputShape.length === 1,
    });
    const { x, labels } = batchTensors(batch, this.model.inputShape);
    const probabilities = tf.tidy(() => {
      const out = this.model.predict(x) as tf.Tensor2D;
      return tf.exp(logProbabilities(out, outputKind(this.model.outputType)));
    });
    const values = Array.from(probabilities.dataSync());
    tf.dispose([x, labels, probabilities]);
    const top = values.reduce((best, v, i) => (v > (values[best] ?? -Infinity) ? i : best), 0);
    return { classes: [...this.meta.classNames], probabilities: values, top };
  }

  dispose(): void {
    this.model.dispose();
  }
}
