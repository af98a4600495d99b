"""Writes ONNX files with PyTorch's own exporter for the import tests.

Reads a JSON list of cases on stdin: {"model", "opset", "path", "batchnorm": "folded"|"kept",
"dynamic": bool}. Writes each model to its path (eval mode, weights and BatchNorm statistics
drawn at random so folding them into the convolutions is not trivial) and prints, per case, the
parameter count of the file as PyTorch counts parameters (every float initializer a node reads,
through Identity aliases, once per reading node; BatchNorm's running mean and variance are
buffers), the input and output shapes, the operators written, and how many Hardswish,
Hardsigmoid and squeeze-excitation modules the model has.
"""

import json
import sys

import onnx
import torch
import torchvision
from onnx import numpy_helper
from torchvision.models.convnext import LayerNorm2d
from torchvision.models.shufflenetv2 import InvertedResidual as ShuffleUnit, channel_shuffle
from torchvision.ops.misc import SqueezeExcitation


class LeNet(torch.nn.Module):
    """LeNet-5 as a script would write it: functional pools, x.view(x.size(0), -1)."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 6, 5, padding=2)
        self.pool1 = torch.nn.AvgPool2d(2, padding=1)  # Pad + AveragePool before opset 19
        self.conv2 = torch.nn.Conv2d(6, 16, 5)
        self.fc1 = torch.nn.Linear(16 * 5 * 5, 120)
        self.drop = torch.nn.Dropout(0.3)
        self.fc2 = torch.nn.Linear(120, 84)
        self.fc3 = torch.nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool1(torch.relu(self.conv1(x)))
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        x = self.drop(torch.relu(self.fc1(x)))
        return self.fc3(torch.relu(self.fc2(x)))


class Zoo(torch.nn.Module):
    """One of each operator the catalog expresses beyond LeNet and ResNet."""

    def __init__(self):
        super().__init__()
        self.stem = torch.nn.Conv2d(3, 8, 3, padding=1, padding_mode="reflect")
        self.dw = torch.nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.grouped = torch.nn.Conv2d(8, 8, 1, groups=2, bias=False)
        self.bn = torch.nn.BatchNorm2d(8)  # after an activation: not folded into a conv
        self.act = torch.nn.Hardswish()
        self.pad = torch.nn.ZeroPad2d((1, 0, 1, 0))
        self.pool = torch.nn.MaxPool2d(2, ceil_mode=True)
        self.avg = torch.nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)
        self.silu = torch.nn.SiLU()
        self.up = torch.nn.ConvTranspose2d(8, 4, 2, stride=2)
        self.side = torch.nn.Conv2d(8, 4, 1, stride=1)
        self.w = torch.nn.Parameter(torch.zeros(8, 8))  # x @ w + b: MatMul + Add
        self.b = torch.nn.Parameter(torch.zeros(8))
        self.gap = torch.nn.AdaptiveAvgPool2d(1)
        self.bn1d = torch.nn.BatchNorm1d(8)
        self.drop = torch.nn.Dropout(0.2)
        self.fc = torch.nn.Linear(8, 5)

    def forward(self, x):
        x = torch.nn.functional.relu6(self.stem(x))  # Pad(reflect) + Conv, Clip
        x = torch.nn.functional.leaky_relu(self.dw(x), 0.2) + x  # depthwise, residual Add
        x = self.act(self.bn(torch.sigmoid(self.grouped(x))))  # BatchNormalization, HardSwish
        x = torch.tanh(self.pool(self.pad(x)))  # asymmetric Pad before MaxPool: ZeroPad2d
        x = self.silu(self.avg(x))  # AveragePool pads, Sigmoid + Mul
        y = torch.max_pool2d(self.up(x), 2)  # ConvTranspose
        z = torch.nn.functional.elu(self.side(x))
        x = torch.cat([y, z], 1)  # Concat
        x = torch.flatten(self.gap(x), 1) @ self.w + self.b  # GlobalAveragePool, Flatten, MatMul
        return self.fc(self.drop(self.bn1d(x)))  # BatchNormalization on features, Gemm


class Modern(torch.nn.Module):
    """LayerNorm2d (torchvision's, ConvNeXt's), torch.chunk into two branches, the channel shuffle
    and squeeze-excitation: Transpose–LayerNormalization–Transpose (opset 17), Split, Reshape–
    Transpose–Reshape, GlobalAveragePool–Conv–Relu–Conv–Sigmoid–Mul."""

    # Layers made by functions rather than modules (module_layers counts modules).
    functional_layers = {"ChannelShuffle": 1, "Slice": 2}

    def __init__(self):
        super().__init__()
        self.stem = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.norm = LayerNorm2d(8, eps=1e-6)
        self.branch = torch.nn.Conv2d(4, 4, 3, padding=1, groups=4)
        self.se = SqueezeExcitation(8, 2)
        self.fc = torch.nn.Linear(8, 5)

    def forward(self, x):
        x = self.norm(self.stem(x))
        a, b = x.chunk(2, dim=1)
        x = channel_shuffle(torch.cat([a, torch.relu(self.branch(b))], 1), 2)
        x = self.se(x)
        return self.fc(torch.flatten(torch.nn.functional.adaptive_avg_pool2d(x, 1), 1))


class Unsupported(torch.nn.Module):
    """Resize twice and a multiplication by a constant: none of them a layer of ours."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3)

    def forward(self, x):
        x = torch.nn.functional.interpolate(self.conv(x) * 3.0, scale_factor=2.0)
        x = torch.nn.functional.interpolate(x, scale_factor=2.0)
        return torch.flatten(x, 1)


MODELS = {
    "resnet18": (lambda: torchvision.models.resnet18(), [3, 64, 64]),
    # Squeeze-excitation (GlobalAveragePool, 1×1 convs, HardSigmoid, Mul of the gate and the
    # map) and Hardswish (HardSigmoid + Mul before opset 14).
    "mobilenet_v3_small": (lambda: torchvision.models.mobilenet_v3_small(), [3, 64, 64]),
    # The families of today's CNNs, at 64×64 so that the suite stays quick on two cores.
    "googlenet": (lambda: torchvision.models.googlenet(aux_logits=False, init_weights=True), [3, 64, 64]),
    "densenet121": (lambda: torchvision.models.densenet121(), [3, 64, 64]),
    "resnext50_32x4d": (lambda: torchvision.models.resnext50_32x4d(), [3, 64, 64]),
    "shufflenet_v2_x0_5": (lambda: torchvision.models.shufflenet_v2_x0_5(), [3, 64, 64]),
    "efficientnet_b0": (lambda: torchvision.models.efficientnet_b0(), [3, 64, 64]),
    "regnet_y_400mf": (lambda: torchvision.models.regnet_y_400mf(), [3, 64, 64]),
    "lenet": (LeNet, [1, 28, 28]),
    "modern": (Modern, [3, 12, 12]),
    "zoo": (Zoo, [3, 20, 20]),
    "unsupported": (Unsupported, [1, 8, 8]),
}


def randomize(model):
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if tensor.dtype != torch.float32:
                continue
            values = torch.rand(tensor.shape, generator=generator)
            if name.endswith("running_var"):
                tensor.copy_(0.5 + values)
            elif name.endswith("running_mean") or name.endswith("bias"):
                tensor.copy_(values - 0.5)
            elif name.endswith("weight") and tensor.dim() == 1:  # BatchNorm scale
                tensor.copy_(0.5 + values)
            else:
                bound = 1 / max(1, tensor[0].numel()) ** 0.5
                tensor.copy_((2 * values - 1) * bound)


def parameter_count(model_proto):
    graph = model_proto.graph
    floats = {
        t.name: numpy_helper.to_array(t).size
        for t in graph.initializer
        if t.data_type == onnx.TensorProto.FLOAT
    }
    for node in graph.node:  # PyTorch aliases deduplicated initializers through Identity
        if node.op_type == "Identity" and node.input[0] in floats:
            floats[node.output[0]] = floats[node.input[0]]
    total = 0
    for node in graph.node:
        if node.op_type == "Identity":
            continue
        for i, name in enumerate(node.input):
            if node.op_type == "BatchNormalization" and i >= 3:
                continue  # running mean and variance: buffers
            if node.op_type in ("Pad", "Clip", "Reshape"):
                continue  # pads, bounds and shapes are not parameters
            total += floats.get(name, 0)
    return total


def module_layers(model):
    """The layers the import must make of these modules: one Hardswish, Hardsigmoid or SiLU per
    module (whatever operators the opset writes them with), one Multiply per squeeze-excitation,
    one ChannelShuffle per ShuffleNet unit and two Slices (the halves of x.chunk(2)) per unit
    that does not downsample."""
    counts = {
        "Hardswish": 0,
        "Hardsigmoid": 0,
        "SiLU": 0,
        "Multiply": 0,
        "SqueezeExcitation": 0,
        "ChannelShuffle": 0,
        "Slice": 0,
    }
    # A squeeze-excitation imports as one block: its own activations are inside it.
    inside = {id(m) for se in model.modules() if isinstance(se, SqueezeExcitation) for m in se.modules() if m is not se}
    for module in model.modules():
        if id(module) in inside:
            continue
        if isinstance(module, torch.nn.Hardswish):
            counts["Hardswish"] += 1
        elif isinstance(module, torch.nn.Hardsigmoid):
            counts["Hardsigmoid"] += 1
        elif isinstance(module, torch.nn.SiLU):
            counts["SiLU"] += 1
        elif isinstance(module, SqueezeExcitation):  # MobileNet v3, EfficientNet, RegNetY
            counts["SqueezeExcitation"] += 1
        elif isinstance(module, ShuffleUnit):
            counts["ChannelShuffle"] += 1
            if module.stride == 1:
                counts["Slice"] += 2
    for layer, n in getattr(model, "functional_layers", {}).items():
        counts[layer] += n
    return counts


def export(case):
    make, shape = MODELS[case["model"]]
    torch.manual_seed(0)
    model = make().eval()
    randomize(model)
    kept = case.get("batchnorm") == "kept"
    options = {
        "opset_version": case["opset"],
        "input_names": ["image"],
        "output_names": ["logits"],
    }
    if case.get("dynamic", True):
        options["dynamic_axes"] = {"image": {0: "batch"}, "logits": {0: "batch"}}
    if kept:  # the exporter folds BatchNorm into the convolutions in eval mode unless asked
        options["training"] = torch.onnx.TrainingMode.PRESERVE
        options["do_constant_folding"] = False
    torch.onnx.export(model, torch.zeros([1, *shape]), case["path"], **options)
    proto = onnx.load(case["path"])
    with torch.no_grad():
        out = model(torch.zeros([1, *shape]))
    return {
        "params": parameter_count(proto),
        "inputShape": shape,
        "outputShape": list(out.shape[1:]),
        "ops": sorted({n.op_type for n in proto.graph.node}),
        "layers": module_layers(model),
    }


def main():
    cases = json.load(sys.stdin)
    print(json.dumps([export(c) for c in cases]))


if __name__ == "__main__":
    main()
