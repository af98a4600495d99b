#!/usr/bin/env bash
# Runs on the GPU machine from the unpacked payload (scripts/gpu-bundle.mjs): exactness, then the
# benchmark's A/B (tfjs as it is, fused Adam, filter gradient by im2col and by taps) beside
# PyTorch, then `nnb train` as a user runs it. Writes JSON lines and a log under $OUT.
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
step exactness
timeout 80 node check.mjs templates | tee "$o/check.jsonl"
step "tfjs as it is: tfjs-op Adam, tfjs filter gradient"
NNB_GPU_ADAM=ops NNB_GPU_CONV_GRAD=tfjs timeout 120 node bench.mjs --templates templates --no-torch --profile --repeats 2 --out "$o/bench.jsonl"
step "fused Adam, tfjs filter gradient"
NNB_GPU_CONV_GRAD=tfjs timeout 60 node bench.mjs --templates templates --no-torch --repeats 2 --cases lenet,resnet20 --out "$o/bench-adam.jsonl"
step "fused Adam, filter gradient by per-tap products"
NNB_GPU_CONV_GRAD=taps timeout 70 node bench.mjs --templates templates --no-torch --repeats 2 --cases resnet20,resnet18 --out "$o/bench-taps.jsonl"
step "defaults (fused Adam, im2col filter gradient) beside PyTorch"
timeout 170 node bench.mjs --templates templates --profile --out "$o/bench-default.jsonl"
step "nnb train, auto backend"
timeout 50 node nnb.mjs train templates/lenet-5.nnb.json --epochs 1 --max-samples 8000 --batch-size 64 --out /tmp/nnb-runs 2>&1 | tail -8
step done
