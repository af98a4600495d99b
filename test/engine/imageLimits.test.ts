import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  decodeImage,
  imageDimensions,
  ImageTooLargeError,
  MAX_IMAGE_PIXELS,
} from '../../src/engine/data/decodeImage.js';
import { loadImageFolder } from '../../src/engine/data/loadImageFolder.js';
import { tempDir } from './trainHelpers.js';

/** CRC-32 (PNG's), so the crafted file is a valid PNG that pngjs would decode in full. */
function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.byteLength, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A real, valid grayscale PNG of width×height black pixels: small on disk, huge decoded. */
function blackPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit grayscale, no interlace
  const raw = Buffer.alloc((width + 1) * height); // filter byte 0 + zero pixels per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A JPEG header (SOI, APP0, SOF0) announcing width×height; no scan follows. */
function jpegHeader(width: number, height: number): Buffer {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof0 = [0xff, 0xc0, 0x00, 0x0b, 8, height >> 8, height & 255, width >> 8, width & 255];
  return Buffer.from([0xff, 0xd8, ...app0, ...sof0, 1, 1, 0x11, 0]);
}

describe('image size limits (before decoding)', () => {
  it('reads PNG and JPEG dimensions from the header', () => {
    const png = new PNG({ width: 33, height: 17 });
    expect(imageDimensions(PNG.sync.write(png))).toEqual({ width: 33, height: 17 });
    const data = new Uint8Array(33 * 17 * 4);
    const jpg = jpeg.encode({ width: 33, height: 17, data }, 90).data;
    expect(imageDimensions(jpg)).toEqual({ width: 33, height: 17 });
    expect(imageDimensions(jpegHeader(20000, 30000))).toEqual({ width: 20000, height: 30000 });
    expect(imageDimensions(new Uint8Array([1, 2, 3]))).toBeNull();
  });

  it('refuses a small file of too many pixels at once, naming it and its size', () => {
    // 5000×5000 = 25 Mpx in a few kilobytes; the 20000×20000 took 16.7 s and 4.7 GB.
    const bomb = blackPng(5000, 5000);
    expect(bomb.byteLength).toBeLessThan(100_000);
    const started = performance.now();
    expect(() => decodeImage(bomb, 'cats/huge.png')).toThrow(ImageTooLargeError);
    expect(() => decodeImage(bomb, 'cats/huge.png')).toThrow(
      'cats/huge.png is 5000×5000 pixels (25.0 Mpx); images up to 16.8 Mpx (4096×4096) are read.',
    );
    expect(() => decodeImage(jpegHeader(20000, 20000), 'big.jpg')).toThrow(
      /big\.jpg is 20000×20000 pixels \(400\.0 Mpx\)/,
    );
    expect(performance.now() - started).toBeLessThan(500);
    // At the limit and below, images decode as before.
    expect(decodeImage(blackPng(64, 48))).toMatchObject({ width: 64, height: 48 });
    expect(MAX_IMAGE_PIXELS).toBe(4096 * 4096);
  });

  it('stops loading an image folder at an oversized image, with its path', () => {
    const dir = tempDir();
    for (const name of ['cats', 'dogs']) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'ok.png'), blackPng(8, 8));
    }
    writeFileSync(join(dir, 'dogs', 'huge.png'), blackPng(5000, 5000));
    expect(() => loadImageFolder(dir, [1, 4, 4])).toThrow(
      `${join(dir, 'dogs', 'huge.png')} is 5000×5000 pixels`,
    );
  });
});
