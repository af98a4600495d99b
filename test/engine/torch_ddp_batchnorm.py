#!/usr/bin/python3
"""PyTorch reference for data-parallel training with BatchNorm (test/engine/dataParallelBatchNorm.test.ts).

What nnb's data-parallel trainer claims to do is what torch.nn.parallel.DistributedDataParallel
does on 2 processes without SyncBatchNorm (broadcast_buffers=True, the default): each rank runs
the train-mode forward on its own half of the batch, so every BatchNorm normalizes with that
half's statistics; backward all-reduces the gradients as their mean over the ranks; before each
forward, DDP broadcasts rank 0's buffers (running_mean, running_var, num_batches_tracked) to every
rank (torch 1.13: DistributedDataParallel.forward → _sync_buffers, authoritative rank 0), so the
running statistics that count — rank 0's, the model a run saves — are rank 0's update from its
own half alone; rank 1's update is overwritten at the next forward.

Reads a JSON list of cases on stdin and prints the list of results (under torchrun: one "ddp" case
from the file named by NNB_DDP_CASE). A case:
  {"graph", "weights": {"node.tensor": {"shape", "data"}}, "optimizer": {...},
   "batches": [{"input": {"shape", "data"} (NCHW), "labels": [...]}], "mode": ...}
mode:
  "emulated"   — DDP's semantics in one process: two replicas, rank 1 takes rank 0's parameters
                 and buffers before every forward, gradients averaged, one optimizer per replica;
  "ddp"        — the real thing: run under torchrun with 2 processes (gloo); rank 0 writes the
                 result to NNB_DDP_OUT;
  "full-batch" — plain single-process training on the whole batch (what NNB_THREADS=1 does).
A result (printed, or written by rank 0): {"losses": [per step, mean over ranks], "grads": {key: first step's averaged
gradient}, "weights": {key: final}, "buffers": {key: rank 0's final}, "rank1_buffers": {...}}.
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from torch_forward import GraphModel, optimizer_for, tensor  # noqa: E402


def flat(t):
    return t.detach().double().flatten().tolist()


class Wrapped(torch.nn.Module):
    """A built GraphModel as one nn.Module (DDP needs its parameters and buffers registered)."""

    def __init__(self, graph_model):
        super().__init__()
        self.graph_model = graph_model
        self.layers = torch.nn.ModuleList(list(graph_model.modules.values()))

    def forward(self, x):
        return self.graph_model.forward(x, True)


def build(case):
    model = GraphModel(case['graph'], case['weights'])
    first = tensor(case['batches'][0]['input'])
    with torch.no_grad():
        model.forward(first[:1].clone(), False)  # builds the modules; eval mode leaves buffers alone
    return model


def halves(batch):
    x = tensor(batch['input'])
    y = torch.tensor(batch['labels'], dtype=torch.long)
    h = (x.shape[0] + 1) // 2  # rank 0 takes the first ⌈n/2⌉, as nnb's run thread does
    return (x[:h], y[:h]), (x[h:], y[h:])


def result(losses, grads, model, rank1=None):
    return {
        'losses': losses,
        'grads': grads,
        'weights': {k: flat(p) for k, p in model.named('params').items()},
        'buffers': {k: flat(b) for k, b in model.named('buffers').items()},
        'rank1_buffers': {k: flat(b) for k, b in rank1.named('buffers').items()} if rank1 else {},
    }


def full_batch(case):
    model = build(case)
    params = model.named('params')
    optimizer = optimizer_for(case['optimizer'], list(params.values()))
    loss_fn = torch.nn.CrossEntropyLoss()
    losses, grads = [], None
    for batch in case['batches']:
        x = tensor(batch['input'])
        y = torch.tensor(batch['labels'], dtype=torch.long)
        optimizer.zero_grad()
        loss = loss_fn(model.forward(x, True), y)
        loss.backward()
        grads = grads or {k: flat(p.grad) for k, p in params.items()}
        losses.append(loss.item())
        optimizer.step()
    return result(losses, grads, model)


def emulated(case):
    ranks = [build(case), build(case)]
    params = [r.named('params') for r in ranks]
    buffers = [r.named('buffers') for r in ranks]
    optimizers = [optimizer_for(case['optimizer'], list(p.values())) for p in params]
    loss_fn = torch.nn.CrossEntropyLoss()
    losses, grads = [], None
    for batch in case['batches']:
        with torch.no_grad():  # DDP's pre-forward broadcast of rank 0's buffers
            for k, b in buffers[0].items():
                buffers[1][k].copy_(b)
        step_losses = []
        for rank, (x, y) in enumerate(halves(batch)):
            optimizers[rank].zero_grad()
            loss = loss_fn(ranks[rank].forward(x, True), y)
            loss.backward()
            step_losses.append(loss.item())
        with torch.no_grad():  # all-reduce: the mean over the ranks, on every rank
            for k in params[0]:
                mean = (params[0][k].grad + params[1][k].grad) / 2
                params[0][k].grad.copy_(mean)
                params[1][k].grad.copy_(mean)
        grads = grads or {k: flat(p.grad) for k, p in params[0].items()}
        losses.append(sum(step_losses) / 2)
        for o in optimizers:
            o.step()
    return result(losses, grads, ranks[0], ranks[1])


def ddp(case):
    import torch.distributed as dist

    dist.init_process_group('gloo')
    rank = dist.get_rank()
    model = build(case)
    net = torch.nn.parallel.DistributedDataParallel(Wrapped(model), broadcast_buffers=True)
    params = model.named('params')
    optimizer = optimizer_for(case['optimizer'], list(params.values()))
    loss_fn = torch.nn.CrossEntropyLoss()
    losses, grads = [], None
    for batch in case['batches']:
        x, y = halves(batch)[rank]
        optimizer.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        both = torch.tensor([loss.item()], dtype=torch.float64)
        dist.all_reduce(both)
        losses.append(both.item() / 2)
        grads = grads or {k: flat(p.grad) for k, p in params.items()}
        optimizer.step()
    mine = {k: flat(b) for k, b in model.named('buffers').items()}
    gathered = [None, None]
    dist.all_gather_object(gathered, mine)
    if rank == 0:
        out = result(losses, grads, model)
        out['rank1_buffers'] = gathered[1]
        with open(os.environ['NNB_DDP_OUT'], 'w') as f:
            json.dump(out, f)
    # DDP's reducer goes before its process group: freed after destroy_process_group (when
    # ddp() returns), it hung the exit of one rank in three on torch 1.13.
    dist.barrier()
    del net
    dist.destroy_process_group()


def main():
    torch.set_num_threads(1)
    if 'NNB_DDP_CASE' in os.environ:
        with open(os.environ['NNB_DDP_CASE']) as f:
            ddp(json.load(f))
        return
    cases = json.load(sys.stdin)
    json.dump([emulated(c) if c['mode'] == 'emulated' else full_batch(c) for c in cases], sys.stdout)


if __name__ == '__main__':
    main()
