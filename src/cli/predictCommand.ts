import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeImage } from '../engine/data/decodeImage.js';
import { Predictor } from '../engine/predict/Predictor.js';
import { CliError } from './CliError.js';
import { terminalStyle } from './style.js';
import { resolveRunArg } from '../engine/runs/runsHome.js';

export const PREDICT_USAGE = `Usage: nnb predict <run> <image.png|jpg>… [--top K] [--json]

Classifies images with a trained run (its best checkpoint; a run folder, or the id that "nnb train"
printed): prints the most probable classes.
  --top K    how many classes to show per image (default 3)
  --json     one JSON object per image: {image, top, classes, probabilities}
Exit code: 0 all images classified, 1 some could not be read, 2 usage error or no model.`;

/** `nnb predict`: returns the exit code. */
export async function predictCommand(
  argv: readonly string[],
  out: NodeJS.WriteStream,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      top: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    out.write(`${PREDICT_USAGE}\n`);
    return 0;
  }
  const [run, ...images] = positionals;
  if (run === undefined || images.length === 0) {
    throw new CliError(
      `nnb predict needs a run folder and at least one image.\n\n${PREDICT_USAGE}`,
    );
  }
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1)
    throw new CliError(`--top needs a positive integer, got "${values.top}".`);
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
}
