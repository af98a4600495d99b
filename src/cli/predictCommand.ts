import { readFileSync } from 'node:fs';
import { decodeImage } from '../engine/data/decodeImage.js';
import { Predictor } from '../engine/predict/Predictor.js';
import { CliError } from './CliError.js';
import { command } from './commandLine.js';
import { terminalStyle } from './style.js';
import { resolveRunArg } from '../engine/runs/runsHome.js';

/** `nnb predict`: classifies images with a trained run. */
export const predictCommand = command(
  {
    name: 'predict',
    summary: 'classify images with a trained run',
    description:
      'Classifies images with a trained run (its best checkpoint) and prints the most probable classes.',
    positionals: [
      {
        name: 'run',
        noun: 'run folder',
        description: 'a run folder, or the id that "nnb train" printed',
      },
      { name: 'image', noun: 'image', variadic: true, description: 'PNG or JPEG files' },
    ],
    options: {
      top: {
        type: 'number',
        value: 'K',
        integer: true,
        min: 1,
        default: 3,
        description: 'how many classes to show per image',
      },
      json: {
        type: 'boolean',
        description: 'one JSON object per image: {image, top, classes, probabilities}',
      },
    },
    exitCodes: '0 all images classified, 1 some could not be read, 2 usage error or no model',
  },
  async ({ options: values, positionals }, out) => {
    const [run = '', ...images] = positionals;
    const top = values.top;
    let predictor: Predictor;
    try {
      predictor = Predictor.load(resolveRunArg(run));
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const style = terminalStyle(out);
    let failures = 0;
    for (const path of images) {
      let decoded;
      try {
        decoded = decodeImage(readFileSync(path));
      } catch (error) {
        failures++;
        process.stderr.write(`nnb predict: cannot read ${path}: ${(error as Error).message}\n`);
        continue;
      }
      const p = predictor.predict({
        width: decoded.width,
        height: decoded.height,
        channels: 4,
        data: new Uint8Array(decoded.data),
      });
      if (values.json) {
        out.write(
          `${JSON.stringify({ image: path, top: p.classes[p.top], classes: p.classes, probabilities: p.probabilities })}\n`,
        );
        continue;
      }
      const ranked = p.probabilities
        .map((prob, i) => ({ prob, name: p.classes[i] ?? String(i) }))
        .sort((a, b) => b.prob - a.prob)
        .slice(0, top);
      const [first, ...rest] = ranked;
      out.write(
        `${path}: ${style.bold(`${first?.name} (${((first?.prob ?? 0) * 100).toFixed(1)}%)`)}` +
          (rest.length > 0
            ? `  ${style.dim(rest.map((r) => `${r.name} ${(r.prob * 100).toFixed(1)}%`).join(', '))}`
            : '') +
          '\n',
      );
    }
    predictor.dispose();
    return failures > 0 ? 1 : 0;
  },
);
