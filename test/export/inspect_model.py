#!/usr/bin/python3
"""Loads a generated model.py with real PyTorch and reports what it is: parameter and buffer counts
per module, and the output shapes of a forward pass on zeros (batch 2). Used by the export tests."""
import importlib.util
import json
import sys

import torch

spec = importlib.util.spec_from_file_location('generated_model', sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
model = getattr(module, sys.argv[2])().eval()

per_module = {}
for kind, named in (('params', model.named_parameters()), ('buffers', model.named_buffers())):
    for name, tensor in named:
        prefix = name.rsplit('.', 1)[0]
        entry = per_module.setdefault(prefix, {'params': 0, 'buffers': 0, 'trainable': 0})
        entry[kind] += tensor.numel()
        if kind == 'params' and tensor.requires_grad:
            entry['trainable'] += tensor.numel()

inputs = [torch.zeros(2, *shape) for shape in module.INPUT_SHAPES.values()]
with torch.no_grad():
    out = model(*inputs)
outs = out if isinstance(out, tuple) else (out,)
print(json.dumps({'per_module': per_module, 'outputs': [list(o.shape[1:]) for o in outs]}))
