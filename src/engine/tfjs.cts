// TensorFlow.js for the engine, loaded by require(). An ES module's `import` of a CommonJS
// package makes Node 20 scan its source (and every package it re-exports) for the names it
// exports — about 135 ms per thread for tfjs, on every start of a run, a worker or a server
// worker (docs/performance.md). The engine's modules import this instead: `import tf from
// '…/tfjs.cjs'`, one object with the whole API (types included, as `tf.Tensor`).
import tf = require('@tensorflow/tfjs');
export = tf;
