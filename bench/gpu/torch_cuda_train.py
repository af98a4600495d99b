#!/usr/bin/env python3
"""PyTorch side of the GPU benchmark (bench/gpu/gpuBench.ts): trains the model.py NN Builder
generated from the same graph on random data of the same shapes, with Adam, on the best device
PyTorch has (CUDA, else CPU), reading the loss back every `--read-every` steps as our side does.
Prints one JSON line: samples/s (median of repeats), the device, PyTorch's version.

Usage: torch_cuda_train.py MODEL_PY CLASS --shape C,H,W --classes K [--batch 64] [--steps 50]
           [--warmup 10] [--repeats 3] [--read-every 10] [--lr 1e-3]
"""
import argparse
import importlib.util
import json
import statistics
import time

import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument('model_py')
    p.add_argument('class_name')
    p.add_argument('--shape', required=True)
    p.add_argument('--classes', type=int, required=True)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--steps', type=int, default=50)
    p.add_argument('--warmup', type=int, default=10)
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--read-every', type=int, default=10)
    p.add_argument('--lr', type=float, default=1e-3)
    a = p.parse_args()
    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    torch.manual_seed(0)
    spec = importlib.util.spec_from_file_location('bench_model', a.model_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = getattr(module, a.class_name)().to(device).train()
    shape = tuple(int(s) for s in a.shape.split(','))
    batches = 8
    xs = torch.randn(batches, a.batch, *shape, device=device)
    ys = torch.randint(0, a.classes, (batches, a.batch), device=device)
    optimizer = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    state = {'i': 0}

    def step():
        b = state['i'] % batches
        state['i'] += 1
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[b]), ys[b])
        loss.backward()
        optimizer.step()
        if state['i'] % a.read_every == 0:
            loss.item()
        return loss

    rates = []
    last = float('nan')
    for _ in range(a.repeats):
        for _ in range(a.warmup):
            step()
        if device.type == 'cuda':
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(a.steps):
            loss = step()
        last = loss.item()
        rates.append(a.steps * a.batch / (time.perf_counter() - t0))
    print(json.dumps({
        'samplesPerSecond': statistics.median(rates),
        'runs': rates,
        'device': torch.cuda.get_device_name(0) if device.type == 'cuda' else 'cpu',
        'torch': torch.__version__,
        'lastLoss': last,
    }))


if __name__ == '__main__':
    main()
