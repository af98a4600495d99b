/** Images as bytes, one sample after another, each H×W×C (channels interleaved), 0–255. */
export interface ImageSplit {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

/** A labelled image dataset as loaded from disk, before normalization and batching. */
export interface Dataset {
  readonly name: string;
  readonly classNames: readonly string[];
  /** C×H×W of one sample (PyTorch order); the bytes are stored H×W×C. */
  readonly shape: readonly [number, number, number];
  readonly train: ImageSplit;
  /** Null when the source has no own validation set: the loader holds out a share of train. */
  readonly validation: ImageSplit | null;
  /** Images that could not be decoded and were skipped. */
  readonly skipped: number;
}

/** Wrong input data; the message names the file or folder and what is wrong with it. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}
