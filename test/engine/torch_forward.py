#!/usr/bin/python3
"""PyTorch reference for the engine tests (test/engine/compile.test.ts, gradients.test.ts).

Reads JSON cases on stdin and builds each graph as a real torch.nn model with the modules
torch_oracle.py uses (torch.nn.<Type>(**params), torchvision's BasicBlock/Bottleneck), loads the
weights by their state-dict names, then per case either
  - runs one forward pass (eval mode, or train mode for batch statistics) and reports the output
    and the BatchNorm running statistics afterwards, or
  - with "steps": trains that many steps with nn.CrossEntropyLoss and the given torch.optim
    optimizer, and reports the first step's loss and gradients and the final weights.
Case: {"graph", "weights": {"node.tensor": {"shape", "data"}}, "input": {"shape", "data"},
       "train": bool, "labels": [...], "steps": int, "optimizer": {"name", ...}}.
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'oracle'))
from torch_oracle import BLOCK_TYPES, BLOCK_CHILDREN, build_block, build_module, functional_layer, topological_order  # noqa: E402

# Our inner-node ids of the blocks ↔ torchvision's attribute paths.
TORCHVISION_NAME = {ours: theirs for theirs, ours in BLOCK_CHILDREN.items()}


def tensor(entry):
    return torch.tensor(entry['data'], dtype=torch.float32).reshape(entry['shape'])


class GraphModel:
    """The graph as torch modules, built on the first forward pass (shapes come from the input)."""

    def __init__(self, doc, weights):
        self.doc = doc
        self.weights = weights
        self.nodes = {n['id']: n for n in doc['nodes']}
        self.incoming = {n['id']: [] for n in doc['nodes']}
        for e in doc['edges']:
            self.incoming[e['target']].append(e)
        self.order = topological_order(doc['nodes'], doc['edges'])
        self.modules = {}
        consumed = set(e['source'] for e in doc['edges'])
        self.output = [i for i in self.order if i not in consumed and self.nodes[i]['type'] != 'Input'][0]

    def our_key(self, node_id, name):
        """`block1.bn1.weight` (torch) → `block1/bn1.weight` (ours) inside blocks."""
        if self.nodes[node_id]['type'] in BLOCK_TYPES:
            inner, _, t = name.rpartition('.')
            return f'{node_id}/{BLOCK_CHILDREN.get(inner, inner)}.{t}'
        return f'{node_id}.{name}'

    def build(self, node_id, kind, params, x):
        module = build_block(kind, params, x) if kind in BLOCK_TYPES else build_module(node_id, kind, params, x)
        state = module.state_dict()
        for name in state:
            key = self.our_key(node_id, name)
            if self.weights == 'formula':
                if 'num_batches_tracked' not in name:
                    state[name] = formula_weight(key, state[name].shape)
            elif key in self.weights:
                state[name] = tensor(self.weights[key]).reshape(state[name].shape).to(state[name].dtype)
        module.load_state_dict(state)
        return module

    def forward(self, x, train):
        outputs = {}
        for node_id in self.order:
            node = self.nodes[node_id]
            kind = node['type']
            params = dict(node.get('params') or {})
            ins = [outputs[e['source']] for e in sorted(self.incoming[node_id], key=lambda e: e.get('targetPort', 0))]
            if kind == 'Input':
                out = x
            elif kind == 'Add':
                out = ins[0]
                for t in ins[1:]:
                    out = out + t
            elif kind == 'Multiply':
                out = ins[0] * ins[1]
            elif kind in ('ChannelShuffle', 'Slice'):
                out = functional_layer(kind, params, ins[0])
            elif kind == 'Concat':
                out = torch.cat(ins, dim=params.get('dim', 1))
            else:
                if node_id not in self.modules:
                    self.modules[node_id] = self.build(node_id, kind, params, ins[0])
                module = self.modules[node_id]
                module.train(train)
                out = module(*ins)
            outputs[node_id] = out
        return outputs[self.output]

    def named(self, what):
        """Parameters or buffers under our keys."""
        out = {}
        for node_id, module in self.modules.items():
            items = module.named_parameters() if what == 'params' else module.named_buffers()
            for name, t in items:
                out[self.our_key(node_id, name)] = t
        return out


def formula_weight(key, shape):
    """Weights both sides compute from their name (modelHelpers.ts formulaWeight), so big models
    need not cross the process boundary: scale·sin(0.7·i + offset(key)), in float64, then float32."""
    n = 1
    for d in shape:
        n *= d
    offset = sum(ord(ch) for ch in key) % 97
    wave = torch.sin(torch.arange(n, dtype=torch.float64) * 0.7 + offset)
    name = key.rpartition('.')[2]
    if name == 'running_var':
        values = 1 + 0.5 * wave
    elif name == 'weight' and len(shape) >= 2:
        values = wave / (n / shape[0]) ** 0.5
    else:
        values = 0.1 * wave
    return values.to(torch.float32).reshape(shape)


def optimizer_for(config, params):
    name = config['name']
    wd = config.get('weightDecay', 0)
    if name == 'sgd':
        return torch.optim.SGD(params, lr=config['lr'], momentum=config['momentum'], nesterov=config['nesterov'], weight_decay=wd)
    if name in ('adam', 'adamw'):
        cls = torch.optim.Adam if name == 'adam' else torch.optim.AdamW
        return cls(params, lr=config['lr'], betas=(config['beta1'], config['beta2']), eps=config['epsilon'], weight_decay=wd)
    if name == 'rmsprop':
        return torch.optim.RMSprop(params, lr=config['lr'], alpha=config['alpha'], eps=config['epsilon'], momentum=config['momentum'], weight_decay=wd)
    if name == 'adagrad':
        return torch.optim.Adagrad(params, lr=config['lr'], eps=config['epsilon'], weight_decay=wd)
    raise ValueError(name)


def flat(t):
    return t.detach().flatten().tolist()


def run_case(case):
    model = GraphModel(case['graph'], case['weights'])
    x = tensor(case['input'])
    if 'steps' not in case:
        with torch.no_grad():
            out = model.forward(x, case.get('train', False))
        stats = {k: flat(v) for k, v in model.named('buffers').items() if 'running' in k}
        return {'shape': list(out.shape), 'data': flat(out), 'stats': stats}
    labels = torch.tensor(case['labels'], dtype=torch.long)
    with torch.no_grad():
        model.forward(x[:1].clone(), False)  # builds the modules; eval mode leaves buffers alone
    params = model.named('params')
    optimizer = optimizer_for(case['optimizer'], list(params.values()))
    loss_fn = torch.nn.CrossEntropyLoss()
    first = None
    for step in range(case['steps']):
        optimizer.zero_grad()
        loss = loss_fn(model.forward(x, True), labels)
        loss.backward()
        if step == 0:
            first = {'loss': loss.item(), 'grads': {k: flat(p.grad) for k, p in params.items()}}
        optimizer.step()
    return {**first, 'weights': {k: flat(p) for k, p in params.items()}}


def main():
    torch.set_num_threads(1)
    cases = json.load(sys.stdin)
    json.dump([run_case(c) for c in cases], sys.stdout)


if __name__ == '__main__':
    main()
