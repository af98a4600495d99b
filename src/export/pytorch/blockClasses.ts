import type { BlockType } from '../../core/layers/registry.js';

/**
 * Python source of the composite blocks, mirroring src/core/blocks/ exactly: same inner names
 * (so state_dict keys are `layer1_0.conv1.weight`, `layer1_0.proj_bn.running_mean`, …), same
 * projection rule and the stride on the first 3×3 (BasicBlock) / on the 3×3 (Bottleneck).
 */
export const BLOCK_CLASSES: { readonly [T in BlockType]: string } = {
  ResidualBlock: `class ResidualBlock(nn.Module):
    """torchvision's BasicBlock: conv3x3-BN-ReLU-conv3x3-BN + shortcut, add, ReLU."""

    def __init__(self, in_channels, out_channels, stride=1, downsample='auto'):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.has_projection = downsample == 'always' or (
            downsample == 'auto' and (stride != 1 or in_channels != out_channels))
        if self.has_projection:
            self.proj_conv = nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)
            self.proj_bn = nn.BatchNorm2d(out_channels)
        self.relu2 = nn.ReLU()

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu1(self.bn1(self.conv1(x)))))
        shortcut = self.proj_bn(self.proj_conv(x)) if self.has_projection else x
        return self.relu2(out + shortcut)
`,
  Bottleneck: `class Bottleneck(nn.Module):
    """torchvision's Bottleneck (stride on the 3x3): 1x1-BN-ReLU-3x3-BN-ReLU-1x1-BN + shortcut, add, ReLU."""

    def __init__(self, in_channels, planes, stride=1, expansion=4, groups=1, width_per_group=64,
                 downsample='auto'):
        super().__init__()
        width = int(planes * (width_per_group / 64)) * groups
        out_channels = planes * expansion
        self.conv1 = nn.Conv2d(in_channels, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, groups=groups, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.relu2 = nn.ReLU()
        self.conv3 = nn.Conv2d(width, out_channels, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.has_projection = downsample == 'always' or (
            downsample == 'auto' and (stride != 1 or in_channels != out_channels))
        if self.has_projection:
            self.proj_conv = nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)
            self.proj_bn = nn.BatchNorm2d(out_channels)
        self.relu3 = nn.ReLU()

    def forward(self, x):
        out = self.relu1(self.bn1(self.conv1(x)))
        out = self.relu2(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        shortcut = self.proj_bn(self.proj_conv(x)) if self.has_projection else x
        return self.relu3(out + shortcut)
`,
  SqueezeExcitation: `class SqueezeExcitation(nn.Module):
    """torchvision.ops.SqueezeExcitation: avgpool, fc1, activation, fc2, scale_activation; x * gate."""

    def __init__(self, in_channels, squeeze_channels, activation='ReLU', scale_activation='Sigmoid'):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(in_channels, squeeze_channels, 1)
        self.activation = getattr(nn, activation)()
        self.fc2 = nn.Conv2d(squeeze_channels, in_channels, 1)
        self.scale_activation = getattr(nn, scale_activation)()

    def forward(self, x):
        gate = self.fc2(self.activation(self.fc1(self.avgpool(x))))
        return self.scale_activation(gate) * x
`,
};
