import { float } from '../params/paramSpec.js';
import { elementwise, inplace } from './elementwise.js';

export const LeakyReLU = elementwise({
  type: 'LeakyReLU',
  category: 'Activation',
  summary: 'Like ReLU, but negative values keep a small slope.',
  explanation:
    'LeakyReLU(x) = x for x ≥ 0 and negative_slope·x otherwise, applied to every element. The ' +
    'small slope keeps a gradient flowing for negative inputs. The slope is fixed, not learned.',
  params: {
    negative_slope: float({ default: 0.01, description: 'Slope for negative inputs.' }),
    inplace,
  },
});
