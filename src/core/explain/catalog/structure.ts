import type { LayerExplanation } from '../LayerExplanation.js';
import { NO_PARAMS } from '../LayerExplanation.js';

/** Reshaping, fully connected layers, merges and the composite blocks. */
export const STRUCTURE_EXPLANATIONS = {
  Flatten: {
    what: 'Lays a C×H×W map out as one long vector of C·H·W numbers.',
    why: 'Linear layers take flat vectors: Flatten sits between the last conv/pool and the classifier.',
    formulas: {
      shape: 'F = C·H·W (start_dim … end_dim merged)',
      params: NO_PARAMS,
      rf: 'unchanged per value: each number keeps the field of its map position; the next Linear layer mixes them all, so from there on every output sees the whole input',
    },
  },
  Linear: {
    what: 'Every output is a weighted sum of every input plus a bias: y = x·Wᵀ + b.',
    why: 'Combines all features into decisions: the classifier head that outputs one score per class.',
    formulas: {
      shape: 'F_out = out_features',
      params: 'in_features·out_features weights + out_features biases',
      rf: 'none: each output sees the whole input',
    },
  },
  Add: {
    what: 'Sums its inputs element by element; all must have the same shape.',
    why: 'The join of a residual (skip) connection: the signal and its gradient can bypass the layers in between, which is what lets ResNets be very deep.',
    formulas: {
      shape: 'output shape = each input shape',
      params: NO_PARAMS,
      rf: 'r = max over the inputs: a unit sees everything any branch sees',
    },
  },
  Multiply: {
    what: 'Multiplies its two inputs element by element; a C×1×1 input scales each channel of a C×H×W map.',
    why: 'Gating: squeeze-excitation computes one factor per channel from the whole image and multiplies the map by it, so the network can stress the channels that matter for this input (MobileNetV3, EfficientNet).',
    formulas: {
      shape: 'output shape = the larger input (same shapes, or C×1×1 broadcast over C×H×W)',
      params: NO_PARAMS,
      rf: 'r = max over the inputs (a gate after a global pool sees the whole input)',
    },
  },
  Concat: {
    what: 'Stacks its inputs along one dim, channels by default (torch.cat).',
    why: 'Keeps several branches side by side: Inception modules, DenseNet, U-Net skip connections.',
    formulas: {
      shape: 'C_out = Σ C_i (other dims must match)',
      params: NO_PARAMS,
      rf: 'r = max over the inputs',
    },
  },
  ResidualBlock: {
    what: "Two 3×3 convs, each followed by batch norm (ReLU between), added to a shortcut of the input, then ReLU: ResNet-18/34's basic block.",
    why: 'The shortcut lets gradients flow straight back, so very deep networks still train; the block learns only a correction to its input.',
    formulas: {
      shape:
        'C_out = out_channels; H_out = ⌊(H + 2 − 3)/s⌋ + 1 (the first conv carries the stride)',
      params: '9·C_in·C + 9·C·C + 4·C (BN) [+ C_in·C + 2·C for a 1×1 projection shortcut]',
      rf: 'the larger of the conv path (two 3×3 windows) and the shortcut',
    },
  },
  SqueezeExcitation: {
    what: 'Squeezes the map to one value per channel, computes a gate in [0, 1] per channel with two 1×1 convs, and multiplies each channel of the input by its gate.',
    why: 'Lets the network stress the channels that matter for this image and damp the others, for a few parameters (MobileNetV3, EfficientNet, RegNetY).',
    formulas: {
      shape: 'unchanged: C × H × W',
      params: 'C·S + S + S·C + C (fc1 and fc2 with biases), S = squeeze_channels',
      rf: 'the whole image: the gate comes from a global average pool',
    },
  },
  Bottleneck: {
    what: "A 1×1 conv that reduces channels, a 3×3 conv, a 1×1 conv that expands them again (×4), plus a shortcut: ResNet-50/101/152's block.",
    why: 'The expensive 3×3 conv runs on fewer channels, so deep networks stay affordable.',
    formulas: {
      shape: 'C_out = planes·4; the 3×3 conv carries the stride',
      params:
        'C_in·w + 9·w·w/groups + w·4·planes + BN (2 per channel) [+ projection], w = planes·width_per_group/64·groups',
      rf: 'the larger of the conv path (one 3×3 window) and the shortcut',
    },
  },
} satisfies Readonly<Record<string, LayerExplanation>>;
