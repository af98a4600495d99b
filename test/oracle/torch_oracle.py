#!/usr/bin/python3
"""Independent PyTorch reference for NN Builder's analysis.

Reads an `*.nnb.json` graph document, builds a real torch.nn model from it, runs one forward
pass on zeros (batch 1) and prints, as JSON, what PyTorch itself says about every primitive
layer: output shape (batch axis dropped), parameter elements, buffer elements and MACs.

It deliberately shares no code or tables with the TypeScript core: every layer type is built
with the `torch.nn` class of the same name and the node's params passed straight through as
keyword arguments; only the arguments the graph format infers (in_channels, in_features,
num_features, num_channels) are read off the actual incoming tensor. ResidualBlock and
Bottleneck are built as torchvision's own `BasicBlock` / `Bottleneck` modules, and their inner
layers are observed with forward hooks.

Usage:
    /usr/bin/python3 test/oracle/torch_oracle.py GRAPH.nnb.json
    /usr/bin/python3 test/oracle/torch_oracle.py --torchvision alexnet|vgg16|resnet18 [--size 224]

MACs follow the convention of the analysis (one multiply-accumulate per weight use):
    Conv{1,2,3}d:          out.numel() * (C_in / groups) * prod(kernel_size)
    ConvTranspose{1,2,3}d: in.numel() * (C_out / groups) * prod(kernel_size)
    Linear:                in_features * out_features * (product of leading dims, batch excluded)
    everything else:       0
"""

import argparse
import inspect
import json
import math
import sys
from collections import OrderedDict

import torch
import torch.nn as nn

# ----------------------------------------------------------------------------------------------
# Counting


def count_params(module):
    return sum(p.numel() for p in module.parameters())


def count_trainable(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def count_buffers(module):
    return sum(b.numel() for b in module.buffers())


def count_macs(module, inputs, output):
    """MACs of one forward pass of one sample (batch 1, so numel() counts one sample)."""
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        c_in = inputs[0].shape[1]
        return output.numel() * (c_in // module.groups) * math.prod(module.kernel_size)
    if isinstance(module, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
        c_out = output.shape[1]
        return inputs[0].numel() * (c_out // module.groups) * math.prod(module.kernel_size)
    if isinstance(module, nn.Linear):
        leading = output.numel() // output.shape[-1]
        return module.in_features * module.out_features * leading
    return 0


def shape_of(tensor):
    return list(tensor.shape[1:])


# ----------------------------------------------------------------------------------------------
# Building modules from node params

# torch.nn constructor arguments the graph format never writes: read them off the input tensor.
INFERRED = {
    'in_channels': lambda x: x.shape[1],
    'in_features': lambda x: x.shape[-1],
    'num_features': lambda x: x.shape[1],
    'num_channels': lambda x: x.shape[1],
}


class OracleError(Exception):
    pass


def to_torch(value):
    """JSON arrays become tuples, as torch.nn takes kernel_size=(3, 3) etc."""
    if isinstance(value, list):
        return tuple(to_torch(v) for v in value)
    return value


def build_module(node_id, node_type, params, x):
    """Constructs torch.nn.<node_type>(**params), inferring channel/feature counts from x."""
    if node_type == 'LayerNorm2d':  # torchvision's (ConvNeXt): nn.LayerNorm over the channels
        from torchvision.models.convnext import LayerNorm2d

        return LayerNorm2d(int(x.shape[1]), **{k: to_torch(v) for k, v in params.items()})
    cls = getattr(nn, node_type, None)
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise OracleError(f'node "{node_id}": no torch.nn module named "{node_type}"')
    kwargs = {k: to_torch(v) for k, v in params.items()}
    signature = inspect.signature(cls.__init__)
    for name, infer in INFERRED.items():
        if name in signature.parameters and name not in kwargs:
            if x is None:
                raise OracleError(f'node "{node_id}": {node_type} needs an input to infer {name}')
            kwargs[name] = int(infer(x))
    try:
        return cls(**kwargs)
    except TypeError as error:
        raise OracleError(f'node "{node_id}": torch.nn.{node_type}(**{kwargs}) failed: {error}')


def functional_layer(node_type, params, x):
    """Layers with no torch.nn module that trains in 1.13: x[:, start:end], and the channel shuffle
    torchvision's ShuffleNet writes (nn.ChannelShuffle has no backward in 1.13)."""
    if node_type == 'Slice':
        return x[:, params['start']:params['end']]
    n, c, h, w = x.shape
    g = params['groups']
    return x.reshape(n, g, c // g, h, w).transpose(1, 2).reshape(n, c, h, w)


def build_block(node_type, params, x):
    """torchvision's own BasicBlock / Bottleneck, with the projection torchvision's ResNet adds."""
    from torchvision.models.resnet import BasicBlock, Bottleneck, conv1x1

    inplanes = x.shape[1]
    if node_type == 'SqueezeExcitation':
        from torchvision.ops.misc import SqueezeExcitation

        return SqueezeExcitation(
            inplanes,
            params['squeeze_channels'],
            activation=getattr(nn, params.get('activation', 'ReLU')),
            scale_activation=getattr(nn, params.get('scale_activation', 'Sigmoid')),
        )
    if node_type == 'ResidualBlock':
        planes = params['out_channels']
        stride = params.get('stride', 1)
        out_channels = planes * BasicBlock.expansion
        block_cls = BasicBlock
        extra = {}
    else:
        planes = params['planes']
        stride = params.get('stride', 1)
        expansion = params.get('expansion', 4)
        block_cls = type('Bottleneck', (Bottleneck,), {'expansion': expansion})
        out_channels = planes * expansion
        extra = {
            'groups': params.get('groups', 1),
            'base_width': params.get('width_per_group', 64),
        }
    # downsample: "auto" adds the projection exactly when torchvision's ResNet._make_layer does.
    mode = params.get('downsample', 'auto')
    downsample = None
    if mode == 'always' or (mode == 'auto' and (stride != 1 or inplanes != out_channels)):
        downsample = nn.Sequential(conv1x1(inplanes, out_channels, stride), nn.BatchNorm2d(out_channels))
    return block_cls(inplanes, planes, stride=stride, downsample=downsample, **extra)


# Inner ids of the blocks, keyed by the torchvision attribute they observe. ReLU is one module
# that torchvision calls several times; each call is its own node in the graph (relu1, relu2, …).
BLOCK_CHILDREN = {
    'conv1': 'conv1',
    'bn1': 'bn1',
    'conv2': 'conv2',
    'bn2': 'bn2',
    'conv3': 'conv3',
    'bn3': 'bn3',
    'downsample.0': 'proj_conv',
    'downsample.1': 'proj_bn',
    # torchvision.ops.SqueezeExcitation: our inner ids are its attribute names.
    'avgpool': 'avgpool',
    'fc1': 'fc1',
    'activation': 'activation',
    'fc2': 'fc2',
    'scale_activation': 'scale_activation',
}

BLOCK_TYPES = ('ResidualBlock', 'Bottleneck', 'SqueezeExcitation')


# ----------------------------------------------------------------------------------------------
# The interpreter


def topological_order(nodes, edges):
    ids = [n['id'] for n in nodes]
    indegree = {i: 0 for i in ids}
    consumers = {i: [] for i in ids}
    for e in edges:
        if e['source'] not in indegree or e['target'] not in indegree:
            raise OracleError(f'edge {e["source"]} -> {e["target"]} names an unknown node')
        indegree[e['target']] += 1
        consumers[e['source']].append(e['target'])
    ready = [i for i in ids if indegree[i] == 0]
    order = []
    while ready:
        current = ready.pop(0)
        order.append(current)
        for t in consumers[current]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    if len(order) != len(ids):
        raise OracleError('the graph has a cycle')
    return order


class Recorder:
    def __init__(self):
        self.layers = OrderedDict()
        self.blocks = OrderedDict()

    def add(self, node_id, node_type, module, inputs, output):
        self.layers[node_id] = {
            'type': node_type,
            'shape': shape_of(output),
            'params': count_params(module) if module is not None else 0,
            'trainableParams': count_trainable(module) if module is not None else 0,
            'buffers': count_buffers(module) if module is not None else 0,
            'macs': count_macs(module, inputs, output) if module is not None else 0,
        }


def run_block(node_id, node_type, block, x, recorder):
    """Runs a torchvision block, recording each inner layer under `node_id/<inner id>`."""
    names = {module: name for name, module in block.named_modules() if name}
    relu_calls = []
    handles = []

    def hook(module, inputs, output):
        name = names[module]
        if name == 'relu':
            relu_calls.append(None)
            last = len(relu_calls) == (3 if node_type == 'Bottleneck' else 2)
            if last:
                # out += identity happens just before the last ReLU: its result is that ReLU's
                # input (inplace ReLU overwrote the values, not the shape).
                recorder.add(f'{node_id}/add', 'Add', None, inputs, inputs[0])
            recorder.add(f'{node_id}/relu{len(relu_calls)}', 'ReLU', module, inputs, output)
        elif name in BLOCK_CHILDREN:
            inner_type = type(module).__name__
            recorder.add(f'{node_id}/{BLOCK_CHILDREN[name]}', inner_type, module, inputs, output)

    for module in names:
        if not isinstance(module, nn.Sequential):
            handles.append(module.register_forward_hook(hook))
    try:
        out = block(x)
    finally:
        for h in handles:
            h.remove()
    if node_type == 'SqueezeExcitation':  # scale * input, after the scale activation
        recorder.add(f'{node_id}/scale', 'Multiply', None, [x], out)
    children = [k for k in recorder.layers if k.startswith(node_id + '/')]
    recorder.blocks[node_id] = {
        'type': node_type,
        'shape': shape_of(out),
        'params': count_params(block),
        'trainableParams': count_trainable(block),
        'buffers': count_buffers(block),
        'macs': sum(recorder.layers[c]['macs'] for c in children),
        'children': children,
    }
    return out


def run_graph(doc):
    nodes = doc['nodes']
    edges = doc['edges']
    by_id = {n['id']: n for n in nodes}
    incoming = {n['id']: [] for n in nodes}
    for e in edges:
        incoming[e['target']].append(e)
    order = topological_order(nodes, edges)
    recorder = Recorder()
    outputs = {}
    consumed = set(e['source'] for e in edges)
    model = nn.ModuleDict()

    with torch.no_grad():
        for node_id in order:
            node = by_id[node_id]
            node_type = node['type']
            params = dict(node.get('params') or {})
            ins = [outputs[e['source']] for e in sorted(incoming[node_id], key=lambda e: e.get('targetPort', 0))]
            x = ins[0] if ins else None

            try:
                if node_type == 'Input':
                    out = torch.zeros([1] + list(params.get('shape', [1, 28, 28])))
                    recorder.add(node_id, node_type, None, [], out)
                elif node_type == 'Add':
                    out = ins[0]
                    for t in ins[1:]:
                        out = out + t
                    recorder.add(node_id, node_type, None, ins, out)
                elif node_type in ('Multiply', 'Mul'):
                    out = ins[0]
                    for t in ins[1:]:
                        out = out * t
                    recorder.add(node_id, node_type, None, ins, out)
                elif node_type in ('ChannelShuffle', 'Slice'):
                    out = functional_layer(node_type, params, x)
                    recorder.add(node_id, node_type, None, ins, out)
                elif node_type == 'Concat':
                    out = torch.cat(ins, dim=params.get('dim', 1))
                    recorder.add(node_id, node_type, None, ins, out)
                elif node_type in BLOCK_TYPES:
                    block = build_block(node_type, params, x)
                    if node.get('trainable') is False:
                        block.requires_grad_(False)
                    model[node_id.replace('.', '_')] = block
                    block.eval()
                    out = run_block(node_id, node_type, block, x, recorder)
                else:
                    module = build_module(node_id, node_type, params, x)
                    if node.get('trainable') is False:
                        module.requires_grad_(False)
                    model[node_id.replace('.', '_')] = module
                    module.eval()  # BatchNorm on a 1×1 map with batch 1 only works in eval mode
                    out = module(*ins)
                    recorder.add(node_id, node_type, module, ins, out)
            except OracleError:
                raise
            except Exception as error:  # noqa: BLE001 — say which node torch rejected, and why
                shapes = [shape_of(t) for t in ins]
                raise OracleError(f'node "{node_id}" ({node_type}) failed on inputs {shapes}: {error}')
            outputs[node_id] = out

    layers = recorder.layers
    totals = {
        'params': count_params(model),
        'trainableParams': count_trainable(model),
        'buffers': count_buffers(model),
        'macs': sum(l['macs'] for l in layers.values()),
    }
    # The per-layer sums must agree with the whole model (no shared or missed modules).
    assert totals['params'] == sum(l['params'] for l in layers.values()), 'param sum mismatch'
    assert totals['buffers'] == sum(l['buffers'] for l in layers.values()), 'buffer sum mismatch'
    return {
        'name': doc.get('name'),
        'torch': torch.__version__,
        'layers': layers,
        'blocks': recorder.blocks,
        'outputs': {i: shape_of(outputs[i]) for i in order if i not in consumed and by_id[i]['type'] != 'Input'},
        'totals': totals,
    }


# ----------------------------------------------------------------------------------------------
# torchvision reference models


def run_torchvision(name, size):
    import torchvision

    model = getattr(torchvision.models, name)()
    model.eval()
    layers = []

    def hook(module, inputs, output):
        layers.append({
            'name': names[module],
            'type': type(module).__name__,
            'shape': shape_of(output),
            'params': sum(p.numel() for p in module.parameters(recurse=False)),
            'buffers': sum(b.numel() for b in module.buffers(recurse=False)),
            'macs': count_macs(module, inputs, output),
        })

    names = {}
    handles = []
    for module_name, module in model.named_modules():
        if len(list(module.children())) == 0:
            names[module] = module_name
            handles.append(module.register_forward_hook(hook))
    with torch.no_grad():
        out = model(torch.zeros(1, 3, size, size))
    for h in handles:
        h.remove()
    return {
        'model': name,
        'torch': torch.__version__,
        'torchvision': torchvision.__version__,
        'input': [3, size, size],
        'output': shape_of(out),
        'layers': layers,
        'totals': {
            'params': count_params(model),
            'trainableParams': count_trainable(model),
            'buffers': count_buffers(model),
            'macs': sum(l['macs'] for l in layers),
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('graph', nargs='?', help='path of an *.nnb.json graph document')
    parser.add_argument('--torchvision', metavar='NAME', help='report torchvision.models.NAME() instead')
    parser.add_argument('--size', type=int, default=224, help='input H=W for --torchvision (default 224)')
    args = parser.parse_args()
    torch.set_num_threads(1)
    try:
        if args.torchvision:
            result = run_torchvision(args.torchvision, args.size)
        elif args.graph:
            with open(args.graph, encoding='utf-8') as f:
                result = run_graph(json.load(f))
        else:
            parser.error('give a graph file or --torchvision NAME')
    except OracleError as error:
        print(f'torch_oracle: {error}', file=sys.stderr)
        sys.exit(2)
    sys.stdout.write(dumps(result) + '\n')


def dumps(value, depth=0):
    """JSON with one line per layer: readable in a terminal, trivial to parse."""
    if isinstance(value, dict) and depth < 2 and any(isinstance(v, (dict, list)) for v in value.values()):
        pad = '  ' * (depth + 1)
        items = [f'{pad}{json.dumps(k)}: {dumps(v, depth + 1)}' for k, v in value.items()]
        return '{\n' + ',\n'.join(items) + '\n' + '  ' * depth + '}'
    if isinstance(value, list) and depth < 2 and any(isinstance(v, dict) for v in value):
        pad = '  ' * (depth + 1)
        return '[\n' + ',\n'.join(pad + dumps(v, depth + 1) for v in value) + '\n' + '  ' * depth + ']'
    return json.dumps(value, ensure_ascii=False)


if __name__ == '__main__':
    main()
