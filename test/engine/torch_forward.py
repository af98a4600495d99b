#!/usr/bin/python3
"""PyTorch reference outputs for the engine tests (test/engine/compile.test.ts).

Reads JSON cases on stdin: [{"graph": <nnb graph>, "weights": {"node.tensor": {"shape", "data"}},
"input": {"shape": [N, C, H, W], "data": [...]}, "train": bool}], builds each graph as a real
torch.nn model with the modules torch_oracle.py uses (torch.nn.<Type>(**params), torchvision's
BasicBlock/Bottleneck), loads the weights by their state-dict names, runs one forward pass (eval
mode, or train mode to check batch statistics) and prints, per case, the output and the
BatchNorm running statistics afterwards.
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'oracle'))
from torch_oracle import BLOCK_TYPES, BLOCK_CHILDREN, build_block, build_module, topological_order  # noqa: E402

# Our inner-node ids of the blocks → torchvision's attribute paths.
TORCHVISION_NAME = {ours: theirs for theirs, ours in BLOCK_CHILDREN.items()}


def tensor(entry):
    return torch.tensor(entry['data'], dtype=torch.float32).reshape(entry['shape'])


def load(module, prefix, weights, rename=lambda n: n):
    """Copies weights named `prefix<ours>.<tensor>` into the module's state dict."""
    state = module.state_dict()
    for key, value in weights.items():
        if not key.startswith(prefix):
            continue
        inner, _, name = key[len(prefix):].rpartition('.')
        target = f'{rename(inner)}.{name}' if inner else name
        if target not in state:
            raise KeyError(f'{key} → {target} is not in {sorted(state)}')
        state[target] = tensor(value).reshape(state[target].shape).to(state[target].dtype)
    module.load_state_dict(state)


def run_case(case):
    doc = case['graph']
    weights = case['weights']
    train = case.get('train', False)
    nodes = {n['id']: n for n in doc['nodes']}
    incoming = {n['id']: [] for n in doc['nodes']}
    for e in doc['edges']:
        incoming[e['target']].append(e)
    outputs = {}
    consumed = set(e['source'] for e in doc['edges'])
    stats = {}
    for node_id in topological_order(doc['nodes'], doc['edges']):
        node = nodes[node_id]
        kind = node['type']
        params = dict(node.get('params') or {})
        edges = sorted(incoming[node_id], key=lambda e: e.get('targetPort', 0))
        ins = [outputs[e['source']] for e in edges]
        if kind == 'Input':
            out = tensor(case['input'])
        elif kind == 'Add':
            out = ins[0]
            for t in ins[1:]:
                out = out + t
        elif kind == 'Concat':
            out = torch.cat(ins, dim=params.get('dim', 1))
        else:
            if kind in BLOCK_TYPES:
                module = build_block(kind, params, ins[0])
                load(module, node_id + '/', weights, lambda inner: TORCHVISION_NAME.get(inner, inner))
            else:
                module = build_module(node_id, kind, params, ins[0])
                load(module, node_id + '.', weights)
            module.train(train)
            with torch.no_grad():
                out = module(*ins)
            for name, buf in module.state_dict().items():
                if 'running' not in name:
                    continue
                if kind in BLOCK_TYPES:
                    inner, _, t = name.rpartition('.')
                    stats[f'{node_id}/{BLOCK_CHILDREN.get(inner, inner)}.{t}'] = buf.flatten().tolist()
                else:
                    stats[f'{node_id}.{name}'] = buf.flatten().tolist()
        outputs[node_id] = out
    final = [i for i in outputs if i not in consumed and nodes[i]['type'] != 'Input']
    out = outputs[final[0]]
    return {'shape': list(out.shape), 'data': out.flatten().tolist(), 'stats': stats}


def main():
    torch.set_num_threads(1)
    cases = json.load(sys.stdin)
    json.dump([run_case(c) for c in cases], sys.stdout)


if __name__ == '__main__':
    main()
