"""Produces identity.torchscript.pt: a TorchScript module that returns its input, [N, 1, 28, 28] in and out, the
model of the tests for a network whose output is not [N, classes].

Run once with Debian's python3-torch: /usr/bin/python3 make_identity_torchscript.py
"""
import json

import torch


class Identity(torch.nn.Module):
    def forward(self, x):
        return x


torch.jit.script(Identity()).save("identity.torchscript.pt")
with open("identity.torchscript.pt.json", "w") as out:
    json.dump({"input": [1, 28, 28]}, out)
