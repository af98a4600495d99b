import { elementwise } from './elementwise.js';

export const Identity = elementwise({
  type: 'Identity',
  category: 'Linear/Reshape',
  summary: 'Passes its input through unchanged.',
  explanation:
    'Returns its input as it is: a placeholder, e.g. to remove a layer from a pretrained model ' +
    'without rewiring it (model.fc = nn.Identity()). No parameters.',
  params: {},
});
