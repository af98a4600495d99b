import type { LayerExplanation } from '../LayerExplanation.js';
import { NO_PARAMS } from '../LayerExplanation.js';

/** How a sliding window grows the field (Araujo et al., Distill 2019). */
const WINDOW_FIELD = 'r_out = r_in + (k_eff − 1)·j_in, j_out = j_in·s, with k_eff = d·(k − 1) + 1';

/** Input, convolutions, pooling, padding and resizing: the layers that change H×W. */
export const SPATIAL_EXPLANATIONS = {
  Input: {
    what: 'Declares the shape of one sample that enters the network, without the batch axis.',
    why: 'Every other shape is computed from it: 1×28×28 for MNIST digits, 3×224×224 for ImageNet photos.',
    formulas: {
      shape: 'C×H×W (images) or F (feature vectors), as written',
      params: NO_PARAMS,
      rf: 'r = 1, j = 1, start = 0: each input pixel sees itself',
    },
  },
  Conv2d: {
    what: 'Slides out_channels small learned filters over the input; each filter looks at a k×k window of all input channels and writes one output channel.',
    why: 'It finds local patterns (edges, textures, parts) anywhere in the image with few weights, because the same filter is reused at every position.',
    formulas: {
      shape: 'H_out = ⌊(H + 2·p − d·(k − 1) − 1)/s⌋ + 1 (likewise W); C_out = out_channels',
      params: 'k_h·k_w·(C_in/groups)·C_out weights + C_out biases',
      rf: WINDOW_FIELD,
    },
  },
  ConvTranspose2d: {
    what: 'The reverse of a strided convolution: every input pixel stamps a learned k×k patch into an output that is stride times larger.',
    why: 'Learned upsampling in decoders, segmentation networks (U-Net) and generators (GANs).',
    formulas: {
      shape: 'H_out = (H − 1)·s − 2·p + d·(k − 1) + output_padding + 1',
      params: 'C_in·(C_out/groups)·k_h·k_w weights + C_out biases',
      rf: 'j_out = j_in/s (the grid gets finer); r grows by the kernel extent',
    },
  },
  MaxPool2d: {
    what: 'Keeps the largest value of each k×k window, channel by channel.',
    why: 'Halves H and W cheaply (k = s = 2) and keeps the strongest response, so later layers see a larger area and small shifts matter less.',
    formulas: {
      shape: 'H_out = ⌊(H + 2·p − d·(k − 1) − 1)/s⌋ + 1, s = k by default; C unchanged',
      params: NO_PARAMS,
      rf: WINDOW_FIELD,
    },
  },
  AvgPool2d: {
    what: 'Replaces each k×k window by its mean, channel by channel.',
    why: 'Downsamples while keeping the average response; smoother than max-pooling.',
    formulas: {
      shape: 'H_out = ⌊(H + 2·p − k)/s⌋ + 1, s = k by default; C unchanged',
      params: NO_PARAMS,
      rf: WINDOW_FIELD,
    },
  },
  AdaptiveAvgPool2d: {
    what: 'Averages each channel down to a fixed output_size, whatever H×W comes in.',
    why: 'output_size = 1 is global average pooling: the head of ResNet, which replaces large fully connected layers and accepts any image size.',
    formulas: {
      shape: 'C×output_size; output cell i averages rows ⌊i·H/H_out⌋ … ⌈(i+1)·H/H_out⌉ − 1',
      params: NO_PARAMS,
      rf: 'as a window of k = H/H_out, s = H/H_out when it divides evenly',
    },
  },
  AdaptiveMaxPool2d: {
    what: 'Takes the maximum of each channel over windows that yield a fixed output_size.',
    why: 'Global max pooling (output_size = 1): "is this feature present anywhere?", for any input size.',
    formulas: {
      shape: 'C×output_size; output cell i covers rows ⌊i·H/H_out⌋ … ⌈(i+1)·H/H_out⌉ − 1',
      params: NO_PARAMS,
      rf: 'as a window of k = H/H_out, s = H/H_out when it divides evenly',
    },
  },
  Upsample: {
    what: 'Enlarges each channel by a scale factor (or to a size), filling new pixels by copying (nearest) or blending (bilinear, bicubic).',
    why: 'Fixed, weight-free upsampling in decoders; often followed by a conv (fewer checkerboard artefacts than ConvTranspose2d).',
    formulas: {
      shape: 'H_out = ⌊H·scale_factor⌋ (or size); C unchanged',
      params: NO_PARAMS,
      rf: 'j_out = j_in/scale; blending modes widen r by the pixels they mix',
    },
  },
  PixelShuffle: {
    what: 'Moves channels into space: every group of r² channels becomes an r×r block of pixels.',
    why: 'Sub-pixel upsampling for super-resolution: a conv computes the extra pixels as channels, then this lays them out.',
    formulas: {
      shape: 'C/r² × H·r × W·r',
      params: NO_PARAMS,
      rf: 'j_out = j_in/r; each output pixel comes from one input pixel',
    },
  },
  ChannelShuffle: {
    what: 'Reorders the channels: takes one channel from each of the g groups in turn.',
    why: 'After grouped convolutions or split branches, it lets the next group see channels computed by every group (ShuffleNet).',
    formulas: {
      shape:
        'C × H × W (unchanged; C divisible by g); out channel i·g + j = in channel j·(C/g) + i',
      params: NO_PARAMS,
      rf: 'unchanged: each output channel is one input channel',
    },
  },
  Slice: {
    what: 'Keeps a range of channels, x[:, start:end], dropping the rest.',
    why: 'Several Slices of one layer split it into branches (torch.chunk / torch.split), as ShuffleNet v2 does with half of its channels.',
    formulas: {
      shape: 'C_out = end − start; H and W unchanged',
      params: NO_PARAMS,
      rf: 'unchanged: each output channel is one input channel',
    },
  },
  ZeroPad2d: {
    what: 'Adds rows and columns of zeros around each channel (negative values crop).',
    why: 'Explicit or asymmetric padding, e.g. the extra row an even kernel needs for "same" output size.',
    formulas: {
      shape: 'H_out = H + top + bottom, W_out = W + left + right',
      params: NO_PARAMS,
      rf: 'r unchanged; start moves by the top/left padding',
    },
  },
} satisfies Readonly<Record<string, LayerExplanation>>;
