import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './Dataset.js';

/** A parsed IDX array: dimensions from the header and the uint8 payload. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UINT8 = 0x08;

/**
 * Reads an IDX file (the MNIST / Fashion-MNIST format, optionally gzipped): 2 zero bytes, a type
 * byte (0x08 = uint8, the only one image datasets use), the number of dims, then each dim as a
 * big-endian uint32, then the data.
 */
export function readIdx(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new DatasetError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new DatasetError(
        `${path} looks gzipped but does not unzip: ${(error as Error).message}`,
      );
    }
  }
  return parseIdx(bytes, path);
}

export function parseIdx(bytes: Uint8Array, path: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetError(
      `${path} is not an IDX file: it must start with two zero bytes (MNIST's *-idx3-ubyte / *-idx1-ubyte format).`,
    );
  }
  if (bytes[2] !== UINT8) {
    throw new DatasetError(
      `${path} holds IDX type 0x${(bytes[2] ?? 0).toString(16)}; only unsigned bytes (0x08) are supported.`,
    );
  }
  const rank = bytes[3] ?? 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerSize) {
    throw new DatasetError(`${path} is not an IDX file: its header is cut short.`);
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerSize;
  if (actual !== expected) {
    throw new DatasetError(
      `${path}: its header says ${dims.join('×')} = ${expected.toLocaleString('en-US')} bytes, but it holds ${actual.toLocaleString('en-US')}. The file is truncated or not an IDX file.`,
    );
  }
  return { dims, data: bytes.subarray(headerSize) };
}
