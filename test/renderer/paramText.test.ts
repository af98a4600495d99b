import { describe, expect, it } from 'vitest';
import { Conv2d } from '../../src/core/layers/Conv2d';
import { Input } from '../../src/core/layers/Input';
import { Upsample } from '../../src/core/layers/Upsample';
import type { ParamSpec } from '../../src/core/params/paramSpec';
import { paramToText, textToParam } from '../../renderer/components/paramText';

const spec = (s: unknown) => s as ParamSpec<unknown>;

describe('inspector fields', () => {
  it.each([
    ['5', Conv2d.params.kernel_size, 5],
    ['5, 3', Conv2d.params.kernel_size, [5, 3]],
    ['[5,3]', Conv2d.params.kernel_size, [5, 3]],
    ['5×3', Conv2d.params.kernel_size, [5, 3]],
    ['same', Conv2d.params.padding, 'same'],
    ['1, 28, 28', Input.params.shape, [1, 28, 28]],
    ['2.5', Upsample.params.scale_factor, 2.5],
    ['none', Upsample.params.scale_factor, null],
  ])('read %s', (text, s, value) => {
    expect(textToParam(text, spec(s))).toEqual({ ok: true, value });
  });

  it('empty means the default, or says the field is required', () => {
    expect(textToParam('', spec(Conv2d.params.stride))).toEqual({ ok: true, value: undefined });
    expect(textToParam(' ', spec(Conv2d.params.out_channels))).toEqual({
      ok: false,
      message: 'Required: an integer ≥ 1.',
    });
  });

  it.each([
    ['0', Conv2d.params.out_channels],
    ['2.5', Conv2d.params.out_channels],
    ['5, 3, 1', Conv2d.params.kernel_size],
    ['big', Conv2d.params.padding],
    ['-1', Conv2d.params.kernel_size],
    ['1; 28', Input.params.shape],
  ])('refuse %s with the expected form', (text, s) => {
    const out = textToParam(text, spec(s));
    expect(out.ok).toBe(false);
    expect(!out.ok && out.message).toBe(`Expected ${spec(s).expected}.`);
  });

  it('writes values back as they are typed', () => {
    expect(paramToText([5, 3])).toBe('5, 3');
    expect(paramToText(null)).toBe('');
    expect(paramToText(undefined)).toBe('');
    expect(paramToText('same')).toBe('same');
    for (const v of [5, [5, 3], 'same', [1, 28, 28]] as const) {
      const s =
        v === 'same'
          ? Conv2d.params.padding
          : Array.isArray(v) && v.length === 3
            ? Input.params.shape
            : Conv2d.params.kernel_size;
      expect(textToParam(paramToText(v), spec(s))).toEqual({ ok: true, value: v });
    }
  });
});
