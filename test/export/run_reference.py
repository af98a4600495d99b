#!/usr/bin/python3
"""The PyTorch reference for export tests. For every job of a JSON manifest: load the exported
model.py (+ weights.safetensors) of the job's folder, run it on the job's raw float32 inputs and
write each output as raw float32; with "onnx": true also run onnx.checker (full check) on the
folder's model.onnx. Prints {folder: error or null} as JSON. Usage: run_reference.py MANIFEST"""
import importlib.util
import json
import sys
import traceback

import torch

results = {}
for job in json.load(open(sys.argv[1])):
    folder = job['dir']
    try:
        if job.get('onnx'):
            import onnx
            onnx.checker.check_model(onnx.load(f'{folder}/model.onnx'), full_check=True)
        spec = importlib.util.spec_from_file_location(f'model_{len(results)}', f'{folder}/model.py')
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        model = module.load_model().eval()
        inputs = [torch.frombuffer(bytearray(open(f, 'rb').read()), dtype=torch.float32).reshape(job['batch'], *shape)
                  for f, shape in zip(job['inputs'], module.INPUT_SHAPES.values())]
        with torch.no_grad():
            out = model(*inputs)
        for i, tensor in enumerate(out if isinstance(out, tuple) else (out,)):
            open(f'{folder}/ref{i}.f32', 'wb').write(tensor.contiguous().numpy().astype('float32').tobytes())
        results[folder] = None
    except Exception:
        results[folder] = traceback.format_exc(limit=3)
print(json.dumps(results))
