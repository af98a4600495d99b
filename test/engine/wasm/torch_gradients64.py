#!/usr/bin/python3
"""Float64 PyTorch gradients for test/engine/wasm/gradientsFloat64.test.ts.

Reads JSON cases on stdin ({"graph", "weights", "input", "labels"}, as torch_forward.py reads
them), builds each graph with torch_forward.py's GraphModel (real torch.nn modules, torchvision's
BasicBlock), loads the float32 weights, converts every module to float64 and reports the loss and
the gradients of nn.CrossEntropyLoss (mean) for one forward pass in training mode (BatchNorm on
batch statistics): the exact gradients of the float32 weights and inputs, up to float64 rounding.
With "float32": true a case also reports PyTorch's own float32 gradients under "float32".
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from torch_forward import GraphModel, tensor  # noqa: E402


def run_case(case):
    model = GraphModel(case['graph'], case['weights'])
    x = tensor(case['input'])
    with torch.no_grad():
        model.forward(x[:1].clone(), False)  # builds the modules; eval mode leaves buffers alone
    labels = torch.tensor(case['labels'], dtype=torch.long)
    result = {}
    if case.get('float32'):
        result['float32'] = gradients(model, x, labels)
    for module in model.modules.values():
        module.double()
    # The smallest |input| of any ReLU in the float64 pass: ReLU's gradient jumps at 0, so a
    # float32 pass whose rounding moves an input across 0 differentiates another branch.
    margins = []
    hooks = [m.register_forward_pre_hook(lambda _m, args: margins.append(args[0].abs().min().item()))
             for module in model.modules.values() for m in module.modules() if isinstance(m, torch.nn.ReLU)]
    reference = gradients(model, x.double(), labels)
    for hook in hooks:
        hook.remove()
    return {**reference, 'reluMargin': min(margins, default=float('inf')), **result}


def gradients(model, x, labels):
    """Loss and gradients (by our keys) of one training-mode pass in the model's dtype."""
    params = model.named('params')
    loss = torch.nn.functional.cross_entropy(model.forward(x, True), labels)
    grads = torch.autograd.grad(loss, list(params.values()))
    return {'loss': loss.item(), 'grads': {k: g.flatten().tolist() for k, g in zip(params, grads)}}


def main():
    torch.set_num_threads(1)
    cases = json.load(sys.stdin)
    json.dump([run_case(c) for c in cases], sys.stdout)


if __name__ == '__main__':
    main()
