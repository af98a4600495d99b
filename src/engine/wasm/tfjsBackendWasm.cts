// tfjs-backend-wasm, loaded by require() for the reason given in ../tfjs.cts (an ES module's
// import would make Node scan its 450 KB source first). Loading it registers the 'wasm' backend
// and its kernels.
import backendWasm = require('@tensorflow/tfjs-backend-wasm');
export = backendWasm;
