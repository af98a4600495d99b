"""Keras inference, reimplemented in numpy from a model.json and its weights, channels-last.

Reads a JSON list of cases from stdin: {"model": <model.json object>, "weights": {name: {"shape",
"data"}}, "input": {"shape": [N, H, W, C], "data": [...]}} and prints the list of outputs
({"shape", "data"}). It follows Keras' documented semantics (TensorFlow's "same" padding, NHWC
Flatten order, BatchNormalization's moving statistics at inference) and shares no code with
NN Builder, so it is an independent check of the importer's transposes and reorderings.
"""

import json
import sys

import numpy as np


def pair(v, default):
    if v is None:
        return (default, default)
    if isinstance(v, int):
        return (v, v)
    return (int(v[0]), int(v[1]))


def same_pads(size, k, s):
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def activation(x, name):
    if name in (None, "linear"):
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError(f"activation {name}")


def windows(x, k, s, padding, fill):
    """NHWC → N×OH×OW×kh×kw×C patches, padded TensorFlow's way with `fill`."""
    n, h, w, c = x.shape
    if padding == "same":
        (t, b), (l, r) = same_pads(h, k[0], s[0]), same_pads(w, k[1], s[1])
        x = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)), constant_values=fill)
    oh = (x.shape[1] - k[0]) // s[0] + 1
    ow = (x.shape[2] - k[1]) // s[1] + 1
    out = np.empty((n, oh, ow, k[0], k[1], c), dtype=np.float64)
    for i in range(oh):
        for j in range(ow):
            out[:, i, j] = x[:, i * s[0] : i * s[0] + k[0], j * s[1] : j * s[1] + k[1], :]
    return out


def run_layer(cls, cfg, xs, w):
    x = xs[0]
    if cls == "Conv2D":
        k, s = pair(cfg["kernel_size"], 1), pair(cfg.get("strides"), 1)
        p = windows(x, k, s, cfg.get("padding", "valid"), 0.0)
        y = np.einsum("nijabc,abcf->nijf", p, w["kernel"])
        if cfg.get("use_bias", True):
            y = y + w["bias"]
        return activation(y, cfg.get("activation"))
    if cls == "MaxPooling2D":
        k = pair(cfg.get("pool_size"), 2)
        s = pair(cfg.get("strides"), 1) if cfg.get("strides") is not None else k
        return windows(x, k, s, cfg.get("padding", "valid"), -np.inf).max(axis=(3, 4))
    if cls == "BatchNormalization":
        eps = cfg.get("epsilon", 1e-3)
        y = (x - w["moving_mean"]) / np.sqrt(w["moving_variance"] + eps)
        return y * w.get("gamma", 1.0) + w.get("beta", 0.0)
    if cls == "Dense":
        y = x @ w["kernel"]
        if cfg.get("use_bias", True):
            y = y + w["bias"]
        return activation(y, cfg.get("activation"))
    if cls == "Flatten":
        return x.reshape(x.shape[0], -1)  # row-major NHWC: Keras' order
    if cls == "Dropout":
        return x
    if cls == "Activation":
        return activation(x, cfg["activation"])
    if cls == "ReLU":
        return np.maximum(x, 0)
    if cls == "Add":
        return sum(xs)
    raise ValueError(f"layer {cls}")


def run(case):
    topo = case["model"]["modelTopology"]
    weights = {k: np.array(v["data"], dtype=np.float64).reshape(v["shape"]) for k, v in case["weights"].items()}
    x0 = np.array(case["input"]["data"], dtype=np.float64).reshape(case["input"]["shape"])
    layers = topo["config"]["layers"]
    values = {}
    if topo["class_name"] == "Sequential":
        x = x0
        for layer in layers:
            cfg = layer["config"]
            w = {k.split("/")[-1]: v for k, v in weights.items() if k.startswith(cfg["name"] + "/")}
            x = run_layer(layer["class_name"], cfg, [x], w)
        out = x
    else:
        for layer in layers:
            name = layer["name"]
            if layer["class_name"] == "InputLayer":
                values[name] = x0
                continue
            xs = [values[n[0]] for n in layer["inbound_nodes"][0]]
            w = {k.split("/")[-1]: v for k, v in weights.items() if k.startswith(name + "/")}
            values[name] = run_layer(layer["class_name"], layer["config"], xs, w)
        out = values[topo["config"]["output_layers"][0][0]]
    return {"shape": list(out.shape), "data": out.reshape(-1).tolist()}


if __name__ == "__main__":
    print(json.dumps([run(c) for c in json.load(sys.stdin)]))
