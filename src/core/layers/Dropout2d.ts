import { float } from '../params/paramSpec.js';
import { formatShape } from '../shape.js';
import { elementwise, inplace } from './elementwise.js';

export const Dropout2d = elementwise({
  type: 'Dropout2d',
  category: 'Regularization',
  summary: 'During training, zeroes whole channels of a C×H×W map with probability p.',
  explanation:
    'While training, each channel of a C×H×W feature map is zeroed as a whole with probability p ' +
    'and the rest scaled by 1/(1−p). Neighbouring pixels are strongly correlated, so dropping ' +
    'single pixels (Dropout) regularizes conv layers little (Tompson et al., 2015). Shape ' +
    'unchanged, no parameters.',
  keyParams: (p) => `p ${p.p}`,
  chip: (p) => `Dropout2d ${p.p}`,
  params: {
    p: float({ default: 0.5, min: 0, max: 1, description: 'Probability of zeroing a channel.' }),
    inplace,
  },
  check(ctx) {
    if (ctx.input.length === 3) return;
    // PyTorch 1.13 accepts these with a deprecation warning (functional.dropout2d), so do we.
    ctx.warn(
      'wrong-rank',
      `${ctx.title} expects a C×H×W feature map but receives ${formatShape(ctx.input)}. PyTorch ` +
        (ctx.input.length === 2
          ? 'warns that it treats this as C×L (channel-wise 1D dropout) and will change that in a ' +
            'future release; use Dropout here instead.'
          : 'warns that this is deprecated and will become an error; use Dropout instead.'),
    );
  },
});
