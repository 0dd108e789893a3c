#!/usr/bin/python3
"""Writes a TorchScript ResNet (random weights, fixed seed, ImageNet normalisation folded in) for benchmarks that
compare Saliency with Captum on the same network:

  /usr/bin/python3 scripts/make_resnet_torchscript.py /tmp/resnet18.torchscript.pt [resnet18|resnet50|mobilenet_v2]

Beside it goes FILE.json with the input shape, so Saliency loads it as a 3 x 224 x 224 classifier of [0, 1] pixels.
Needs Debian's python3-torch and python3-torchvision. The file is large (45 MB for resnet18) and is not committed.
"""
import json
import sys

import torch
import torchvision

path = sys.argv[1]
architecture = sys.argv[2] if len(sys.argv) > 2 else "resnet18"
torch.manual_seed(0)


class Normalised(torch.nn.Module):
    def __init__(self, network):
        super().__init__()
        self.network = network
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x):
        return self.network((x - self.mean) / self.std)


model = Normalised(getattr(torchvision.models, architecture)(weights=None)).eval()
traced = torch.jit.trace(model, torch.rand(1, 3, 224, 224))
traced.save(path)
with open(path + ".json", "w") as f:
    json.dump({"input": [3, 224, 224]}, f)
print(path)
