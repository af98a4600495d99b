import type { StateDict } from '../core/weights/StateDict.js';

/**
 * Encodes tensors in the safetensors layout (huggingface/safetensors): an 8-byte little-endian
 * header length, a JSON header naming each tensor's dtype, shape and byte range (padded with
 * spaces to 8-byte alignment), then the raw little-endian data. `names` maps state-dict keys to the
 * names written (e.g. `layer1_0/conv1.weight` → `layer1_0.conv1.weight`).
 */
export function encodeSafetensors(
  state: StateDict,
  names: (key: string) => string = (k) => k,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', ...metadata } };
  let offset = 0;
  const entries = [...state].map(([key, tensor]) => {
    const bytes = tensor.dtype === 'int64' ? tensor.data.length * 8 : tensor.data.length * 4;
    const name = names(key);
    header[name] = {
      dtype: tensor.dtype === 'int64' ? 'I64' : 'F32',
      shape: tensor.shape,
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
    return tensor;
  });
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = new Uint8Array(json.length + ((8 - (json.length % 8)) % 8)).fill(0x20);
  headerBytes.set(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const tensor of entries) {
    for (const value of tensor.data) {
      if (tensor.dtype === 'int64') {
        view.setBigInt64(at, BigInt(Math.trunc(value)), true);
        at += 8;
      } else {
        view.setFloat32(at, value, true);
        at += 4;
      }
    }
  }
  return out;
}
