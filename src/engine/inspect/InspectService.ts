import { join } from 'node:path';
import type {
  ActivationsParams,
  ActivationsResult,
  FiltersParams,
  FiltersResult,
  InspectApi,
  MistakesParams,
  MistakesResult,
  ModelSource,
  SamplesParams,
  SamplesResult,
} from '../../api/inspect.js';
import type { PreparedData } from '../data/prepareData.js';
import { planGraph } from '../model/compilePlan.js';
import { exportTorchWeights } from '../model/torchWeights.js';
import { quietTfjs } from '../selectBackend.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import { applyInitialWeights } from '../train/initialWeights.js';
import { cellMistakes, readPredictions } from './cellMistakes.js';
import { convKernel, convNodes, pickConv } from './convFilters.js';
import { encodePixels } from './encode.js';
import { digitsData, pickSamples, runData, sampleBytes } from './inspectData.js';
import { loadTrainedModel, untrainedModel, type InspectModel } from './inspectModel.js';
import { nodeActivation } from './nodeActivation.js';
import { LruCache } from './LruCache.js';
import { checkpointFolder, modifiedAt, runFolder } from './runFolder.js';
import { latestConfigFile } from '../train/runFiles.js';

/**
 * The engine side of the "see inside" views for a host: models, data splits and checkpoints are
 * loaded once and cached (a model per run checkpoint, reloaded when the checkpoint file changes;
 * the last few untrained graphs; the prepared data per run), so clicking through nodes and
 * samples costs one forward pass each.
 */
export class InspectService implements InspectApi {
  private readonly models = new LruCache<InspectModel>(4, (m) => m.model.dispose());
  private readonly data = new LruCache<PreparedData>(3);
  private digits: PreparedData | undefined;

  constructor(private readonly runsDir: string) {
    quietTfjs();
  }

  async samples(params: SamplesParams): Promise<SamplesResult> {
    const data =
      params.dataset.kind === 'digits'
        ? this.digitsData()
        : this.runData(runFolder(this.runsDir, params.dataset.runId));
    const { validation, info } = data;
    const [c, h, w] = info.inputShape as [number, number, number];
    const indices = pickSamples(validation, info.classNames.length, params.count);
    return {
      dataset: info.name,
      classNames: [...info.classNames],
      validationSize: validation.count,
      samples: indices.map((index) => {
        const label = validation.labels[index]!;
        return {
          index,
          label,
          className: info.classNames[label] ?? String(label),
          image: encodePixels(sampleBytes(validation, index, c * h * w), [c, h, w]),
        };
      }),
    };
  }

  async activations(params: ActivationsParams): Promise<ActivationsResult> {
    return nodeActivation(this.model(params.source), params.node, params.image);
  }

  async filters(params: FiltersParams): Promise<FiltersResult> {
    const { source } = params;
    if (source.kind === 'graph') {
      const { analysis, model } = this.model(source);
      const node = pickConv(analysis, params.node);
      const initial = convKernel(exportTorchWeights(model), node);
      return { node, convNodes: convNodes(analysis), initial, trained: null, trainedEpoch: null };
    }
    const dir = runFolder(this.runsDir, source.runId);
    const trained = loadCheckpoint(checkpointFolder(dir, source.checkpoint));
    const { analysis } = planGraph(trained.graph);
    const node = pickConv(analysis, params.node);
    // Runs from before initial/ was written have no "before"; the view says so.
    const initialDir = join(dir, 'initial');
    const initial =
      modifiedAt(join(initialDir, 'model.json')) > 0
        ? convKernel(loadCheckpoint(initialDir).weights, node)
        : null;
    return {
      node,
      convNodes: convNodes(analysis),
      initial,
      trained: convKernel(trained.weights, node),
      trainedEpoch: trained.meta.epoch,
    };
  }

  async mistakes(params: MistakesParams): Promise<MistakesResult> {
    const dir = runFolder(this.runsDir, params.runId);
    return cellMistakes(this.runData(dir), readPredictions(dir), params);
  }

  dispose(): void {
    this.models.clear();
    this.data.clear();
  }

  private model(source: ModelSource): InspectModel {
    if (source.kind === 'graph') {
      const from =
        source.weightsFrom === undefined ? null : runFolder(this.runsDir, source.weightsFrom);
      const key = `graph:${source.seed}:${from ?? ''}:${JSON.stringify(source.graph)}`;
      return this.models.get(key, () => {
        const m = untrainedModel(source.graph, source.seed, () => this.digitsData());
        if (from === null) return m;
        try {
          // The weights a run started from them would begin with, normalized as they expect.
          const { meta } = applyInitialWeights(m.model, m.analysis, from);
          return { ...m, mean: meta.mean, std: meta.std };
        } catch (error) {
          m.model.dispose();
          throw error;
        }
      });
    }
    const folder = checkpointFolder(runFolder(this.runsDir, source.runId), source.checkpoint);
    // A new checkpoint (every epoch) replaces the file: its time is part of the key.
    const key = `run:${folder}:${modifiedAt(join(folder, 'weights.bin'))}`;
    return this.models.get(key, () => loadTrainedModel(folder));
  }

  private runData(dir: string): PreparedData {
    const key = `${dir}:${modifiedAt(latestConfigFile(dir))}`;
    return this.data.get(key, () => runData(dir));
  }

  private digitsData(): PreparedData {
    this.digits ??= digitsData();
    return this.digits;
  }
}
