"""PyTorch's own initialization of each weighted layer, for test/oracle/initialization.test.ts.

Reads JSON cases [{type, params, inferred: {name, value}}] on stdin; for each builds the torch.nn
module and reports its state_dict tensors: name, shape, whether trained, and either the fan_in and
U(±bound) bound reset_parameters uses (conv/linear weight and bias) or the constant it fills.
"""

import json
import math
import sys

import torch
from torch import nn


def report(case):
    torch.manual_seed(0)
    kwargs = dict(case["params"])
    kwargs[case["inferred"]["name"]] = case["inferred"]["value"]
    if case["type"] == "LayerNorm2d":  # torchvision's: nn.LayerNorm over the channels
        from torchvision.models.convnext import LayerNorm2d

        module = LayerNorm2d(**kwargs)
    else:
        module = getattr(nn, case["type"])(**kwargs)
    trained = dict(module.named_parameters())
    weight = getattr(module, "weight", None)
    kernel = weight is not None and weight.dim() >= 2
    fan_in = nn.init._calculate_fan_in_and_fan_out(weight)[0] if kernel else None
    tensors = []
    for name, t in module.state_dict().items():
        entry = {"name": name, "shape": list(t.shape), "trainable": name in trained}
        if kernel and name in ("weight", "bias"):
            entry["fanIn"] = fan_in
            # _ConvNd / Linear.reset_parameters: kaiming_uniform_(weight, a=√5), bias U(±1/√fan_in).
            gain = nn.init.calculate_gain("leaky_relu", math.sqrt(5))
            entry["bound"] = (
                gain * math.sqrt(3.0 / fan_in) if name == "weight" else 1 / math.sqrt(fan_in)
            )
            entry["maxAbs"] = t.abs().max().item()
        else:
            values = sorted(set(t.flatten().tolist()))
            entry["constant"] = values[0] if len(values) == 1 else None
        tensors.append(entry)
    return tensors


print(json.dumps([report(c) for c in json.load(sys.stdin)]))
