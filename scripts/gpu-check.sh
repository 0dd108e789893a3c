#!/usr/bin/env bash
# On a machine with an NVIDIA GPU, one short run that says whether workers can compute on it:
#   1. nvidia-smi sees a GPU;
#   2. the CUDA build (-p:SaliencyTorch=cuda, into bin-cuda/) is there, built now if it is missing or stale;
#   3. torch.cuda finds the device, and Integrated Gradients maps of 64 Fashion-MNIST test images computed on it
#      agree with the CPU's to 1e-4 (max |difference| printed), with images/s on each (saliency bench device);
#   4. IG on untrained:resnet50 at 3x224x224 over the shipped photographs on the GPU, against the raw forward+backward
#      rate at the same batch (saliency bench ig), and deletion + insertion on the same photographs, timed; then
#      deletion + insertion to an AUC tolerance of 0.005 against IG at 32 steps on the pretrained ResNet-18 (saliency bench metrics).
# Stops at the first check that fails, saying which. Usage: scripts/gpu-check.sh [DEVICE]   (default cuda; e.g. cuda:1)
# SALIENCY_CUDA_BIN=DIR uses an existing CUDA build of the CLI instead of building.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
device="${1:-cuda}"
out="$SALIENCY_ROOT/bench/gpu-check"

saliency_say "1/4 GPU: nvidia-smi"
if ! command -v nvidia-smi >/dev/null 2>&1; then
  saliency_say "gpu-check failed: nvidia-smi is not installed, so this machine has no NVIDIA driver (CUDA 12.8 needs driver 570 or later)"
  exit 3
fi
if ! nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader; then
  saliency_say "gpu-check failed: nvidia-smi finds no usable GPU"
  exit 3
fi
[ -n "${CUDA_VISIBLE_DEVICES:-}" ] && saliency_say "CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES"

saliency_say "2/4 CUDA build"
saliency_require_dotnet
saliency_require_packages dataset-fashion-mnist fonts-dejavu-core
if [ -n "${SALIENCY_CUDA_BIN:-}" ]; then
  bin="$SALIENCY_CUDA_BIN"
else
  bin="$SALIENCY_ROOT/client/bin-cuda/Release/net10.0/linux-x64"
  saliency_build "$SALIENCY_ROOT/client/Saliency.Cli.csproj" "$SALIENCY_ROOT/client/obj-cuda/.saliency-built" -p:SaliencyTorch=cuda
fi
if [ ! -x "$bin/saliency" ]; then
  saliency_say "gpu-check failed: no saliency CLI in $bin"
  exit 4
fi

saliency_say "3/4 torch.cuda and IG on $device against the CPU"
if ! "$bin/saliency" bench device --device "$device" --images 64 --steps 64 --batch 64 --tolerance 1e-4 --out "$out"; then
  saliency_say "gpu-check failed: see the lines above (device not found by torch.cuda, or maps that disagree with the CPU's)"
  exit 5
fi

saliency_say "4/4 ResNet-50 at 224 x 224 on $device: IG against raw forward+backward, and deletion + insertion"
if ! "$bin/saliency" bench ig --model untrained:resnet50 --device "$device" --steps 32,64 --images 16 --batch 64 --large-batch 0 \
    --repetitions 3 --memory-images 0 --out "$out"; then
  saliency_say "gpu-check failed: bench ig on untrained:resnet50"
  exit 6
fi
for step in 224 0.01; do
  start=$(date +%s.%N)
  "$bin/saliency" attribute --model untrained:resnet50 --device "$device" --images "folder:$SALIENCY_ROOT/client/photos" \
    --method random --metrics deletion,insertion --metric-step "$step" --json >/dev/null
  saliency_say "deletion + insertion, metric_step $step: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", (e - s) / 5 }') s per image (5 photographs, model load included)"
done
if ! "$bin/saliency" bench metrics --device "$device" --road --out "$out"; then
  saliency_say "gpu-check failed: bench metrics on the pretrained ResNet-18"
  exit 7
fi
saliency_say "gpu-check passed; the tables are in $out/device.md, $out/ig.md and $out/metrics.md"
