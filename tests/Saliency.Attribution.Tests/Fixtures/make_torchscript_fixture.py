"""Produces tiny-cnn.torchscript.pt and tiny-cnn.expected.json, the TorchScript fixture of the tests.

Run once with Debian's python3-torch (apt-get install python3-torch): /usr/bin/python3 make_torchscript_fixture.py
The expected logits let the tests check that TorchSharp runs the scripted module exactly as PyTorch does.
"""
import json

import torch
import torch.nn as nn


class TinyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 6, 3, padding=1)
        self.fc = nn.Linear(6, 10)

    def forward(self, x):
        return self.fc(torch.tanh(self.conv(x)).mean(dim=(2, 3)))


torch.manual_seed(3)
model = TinyCnn().eval()
probe = torch.linspace(0, 1, 2 * 28 * 28).reshape(2, 1, 28, 28)
scripted = torch.jit.script(model)
scripted.save("tiny-cnn.torchscript.pt")
with open("tiny-cnn.expected.json", "w") as out:
    json.dump({"probe": "linspace(0, 1, 1568) as [2, 1, 28, 28]", "logits": scripted(probe).tolist()}, out, indent=1)
