/** Python source appended to model.py: reads the exported weights with torch alone. */
export function loaderPy(className: string): string {
  return `

def load_safetensors(path):
    """Reads a .safetensors file with torch alone (the safetensors package is not needed)."""
    import json
    import struct
    with open(path, 'rb') as f:
        (header_size,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(header_size))
        data = f.read()
    dtypes = {'F32': torch.float32, 'I64': torch.int64}
    tensors = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        begin, end = info['data_offsets']
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=dtypes[info['dtype']]) if end > begin \\
            else torch.empty(0, dtype=dtypes[info['dtype']])
        tensors[name] = flat.reshape(info['shape']).clone()
    return tensors


def load_model(weights=None):
    """The network with the exported weights (every parameter and buffer must match)."""
    import os
    weights = weights or os.path.join(os.path.dirname(os.path.abspath(__file__)), 'weights.safetensors')
    model = ${className}()
    model.load_state_dict(load_safetensors(weights), strict=True)
    return model
`;
}
