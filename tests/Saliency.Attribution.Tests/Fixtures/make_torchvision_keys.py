#!/usr/bin/python3
"""Writes torchvision-state-dict-keys.json: every entry of the state dict that Debian's torchvision saves for the
architectures Saliency builds, with its shape. Run once with Debian's python3-torchvision:

  /usr/bin/python3 tests/Saliency.Attribution.Tests/Fixtures/make_torchvision_keys.py

A user's resnet18.pth or mobilenet_v2.safetensors holds exactly these names, so a network that has them all, with
these shapes, loads such a file.
"""
import json
import os

import torch
import torchvision


architectures = {}
for name in ["resnet18", "resnet50", "mobilenet_v2"]:
    model = getattr(torchvision.models, name)(weights=None)
    architectures[name] = {key: list(value.shape) for key, value in model.state_dict().items()}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torchvision-state-dict-keys.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "torchvision": torchvision.__version__, "architectures": architectures}, f, indent=1, sort_keys=True)
    f.write("\n")
