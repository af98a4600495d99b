#!/usr/bin/python3
"""PyTorch side of `npm run bench` (bench/training.bench.ts): trains the model.py NN Builder
generated from the same graph, on the same data, batch size and optimizer (Adam), and prints the
steady-state throughput as one JSON line.

Usage: torch_train.py MODEL_PY CLASS INPUTS_F32 LABELS_I32 --shape C,H,W --classes K
           [--batch 64] [--lr 1e-3] [--warmup 30] [--steps 300] [--repeats 3] [--threads N]
Inputs are raw little-endian float32 N×C×H×W, labels raw int32 N (written by the benchmark).
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
    p.add_argument('inputs')
    p.add_argument('labels')
    p.add_argument('--shape', required=True)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--warmup', type=int, default=30)
    p.add_argument('--steps', type=int, default=300)
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--threads', type=int, default=0, help='0: PyTorch default')
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)

    spec = importlib.util.spec_from_file_location('bench_model', a.model_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = getattr(module, a.class_name)().train()

    shape = tuple(int(s) for s in a.shape.split(','))
    with open(a.inputs, 'rb') as f:
        x_all = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(-1, *shape)
    with open(a.labels, 'rb') as f:
        y_all = torch.frombuffer(bytearray(f.read()), dtype=torch.int32).long()
    n_batches = x_all.shape[0] // a.batch
    if n_batches == 0:
        raise SystemExit(f'need at least {a.batch} samples, got {x_all.shape[0]}')

    optimizer = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    state = {'i': 0}

    def step():
        b = state['i'] % n_batches
        state['i'] += 1
        x = x_all[b * a.batch:(b + 1) * a.batch]
        y = y_all[b * a.batch:(b + 1) * a.batch]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    rates = []
    last_loss = float('nan')
    for _ in range(a.repeats):
        for _ in range(a.warmup):
            step()
        t0 = time.perf_counter()
        for _ in range(a.steps):
            loss = step()
        last_loss = loss.item()  # the same synchronisation point as the tfjs side
        rates.append(a.steps * a.batch / (time.perf_counter() - t0))
    print(json.dumps({
        'samplesPerSecond': statistics.median(rates),
        'runs': rates,
        'threads': torch.get_num_threads(),
        'torch': torch.__version__,
        'lastLoss': last_loss,
    }))


if __name__ == '__main__':
    main()
