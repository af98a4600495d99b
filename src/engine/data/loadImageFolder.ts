import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { DatasetError, type Dataset } from './Dataset.js';
import { decodeImage, ImageTooLargeError, toSample } from './decodeImage.js';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

/**
 * One subfolder per class (sorted names, as torchvision's ImageFolder), PNG/JPEG images resized
 * to the graph's Input C×H×W. Unreadable images are skipped and counted; an empty class folder is
 * an error, since its class could never be learned.
 */
export function loadImageFolder(dir: string, shape: readonly number[]): Dataset {
  if (shape.length !== 3 || (shape[0] !== 1 && shape[0] !== 3)) {
    throw new DatasetError(
      `Images need a graph Input of 1×H×W (grayscale) or 3×H×W (RGB), not ${shape.join('×')}.`,
    );
  }
  const [c, h, w] = shape as [1 | 3, number, number];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (error) {
    throw new DatasetError(`Cannot read the image folder ${dir}: ${(error as Error).message}`);
  }
  const classNames = entries.filter((e) => statSync(join(dir, e)).isDirectory());
  if (classNames.length < 2) {
    throw new DatasetError(
      `${dir} needs one subfolder per class (at least 2), with the images inside; found ${classNames.length === 0 ? 'none' : `only "${classNames[0]}"`}.`,
    );
  }
  if (classNames.length > 256) {
    throw new DatasetError(
      `${dir} has ${classNames.length} class folders; at most 256 classes are supported.`,
    );
  }
  const samples: Uint8Array[] = [];
  const labels: number[] = [];
  let skipped = 0;
  for (const [label, name] of classNames.entries()) {
    const files = readdirSync(join(dir, name))
      .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()))
      .sort();
    if (files.length === 0) {
      throw new DatasetError(
        `The class folder ${join(dir, name)} has no .png or .jpg images; add some or remove the folder.`,
      );
    }
    for (const file of files) {
      const path = join(dir, name, file);
      try {
        samples.push(toSample(decodeImage(readFileSync(path), path), h, w, c));
        labels.push(label);
      } catch (error) {
        // An oversized image stops the load with its name: skipping it silently would hide it.
        if (error instanceof ImageTooLargeError) throw error;
        skipped++;
      }
    }
  }
  if (samples.length === 0) {
    throw new DatasetError(`None of the ${skipped} images in ${dir} could be read as PNG or JPEG.`);
  }
  const size = c * h * w;
  const images = new Uint8Array(samples.length * size);
  samples.forEach((s, i) => images.set(s, i * size));
  return {
    name: basename(dir),
    classNames,
    shape: [c, h, w],
    train: { images, labels: Uint8Array.from(labels), count: samples.length },
    validation: null,
    skipped,
  };
}
