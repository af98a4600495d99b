#!/usr/bin/env bash
# Runs on the GPU machine from the unpacked payload (scripts/gpu-bundle.mjs). Writes JSON lines
# and a log under $OUT. `run.sh ab` (the first run of 2026-12-04): exactness, then the A/B of
# tfjs as it is, fused Adam, and the filter gradient by per-tap products and by im2col, beside
# PyTorch, then `nnb train`. `run.sh` (default): exactness, the defaults beside PyTorch, and the
# two remaining A/Bs (tfjs' own input gradient; a larger submit batch).
set -u
cd "$(dirname "$0")"
o=${OUT:-/tmp/nnb-gpu-out}
mkdir -p "$o"
export PATH=$PWD/bin:$PATH XDG_RUNTIME_DIR=/tmp
[ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] &&
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
ldconfig -p | grep -q libvulkan.so.1 || { dpkg -x libvulkan1.deb / && ldconfig; }
nvidia-smi -L; node --version; python3 -c 'import torch; print("torch", torch.__version__, torch.cuda.is_available())'
step() { echo "== $1 ($(date +%T))"; }
bench() { timeout "$1" node bench.mjs --templates templates "${@:2}"; }
step exactness
timeout 100 node check.mjs templates | tee "$o/check.jsonl"
if [ "${1:-}" = ab ]; then
  step "tfjs as it is: tfjs-op Adam, tfjs filter gradient"
  NNB_GPU_ADAM=ops NNB_GPU_CONV_GRAD=tfjs NNB_GPU_CONV_DX=tfjs bench 120 --no-torch --profile --repeats 2 --out "$o/bench.jsonl"
  step "fused Adam, tfjs filter gradient"
  NNB_GPU_CONV_GRAD=tfjs NNB_GPU_CONV_DX=tfjs bench 60 --no-torch --repeats 2 --cases lenet,resnet20 --out "$o/bench-adam.jsonl"
  step "fused Adam, filter gradient by per-tap products"
  NNB_GPU_CONV_GRAD=taps NNB_GPU_CONV_DX=tfjs bench 70 --no-torch --repeats 2 --cases resnet20,resnet18 --out "$o/bench-taps.jsonl"
  step "fused Adam, im2col filter gradient, beside PyTorch"
  NNB_GPU_CONV_DX=tfjs bench 170 --profile --out "$o/bench-default.jsonl"
  step "nnb train, auto backend"
  timeout 50 node nnb.mjs train templates/lenet-5.nnb.json --epochs 1 --max-samples 8000 --batch-size 64 --out /tmp/nnb-runs 2>&1 | tail -8
else
  step "defaults (fused Adam, im2col kernel, stride-1 input gradient as a conv) beside PyTorch"
  bench 150 --profile --repeats 2 --out "$o/bench-default.jsonl"
  step "tfjs' own input gradient"
  NNB_GPU_CONV_DX=tfjs bench 40 --no-torch --repeats 2 --cases resnet20,resnet18 --out "$o/bench-dx.jsonl"
  step "submit batch 100"
  bench 60 --no-torch --repeats 2 --submit-batch 100 --out "$o/bench-submit.jsonl"
fi
step done
