"""Produces the models of the bad-input corpus under models/: TorchScript modules of the Fashion-MNIST input shape
that return NaN scores, infinite scores, or raise an error, each with the JSON beside it that declares its input.

Run once with Debian's python3-torch, from this folder: /usr/bin/python3 make_bad_models.py
"""
import json

import torch


class NanScores(torch.nn.Module):
    def forward(self, x):
        return x.flatten(1)[:, :10] * float("nan")


class InfiniteScores(torch.nn.Module):
    def forward(self, x):
        return x.flatten(1)[:, :10] + float("inf")


class Throws(torch.nn.Module):
    def forward(self, x):
        if x.shape[0] > 0:
            raise RuntimeError("this model always fails")
        return x.flatten(1)[:, :10]


for name, module in [("nan-scores", NanScores()), ("inf-scores", InfiniteScores()), ("throws", Throws())]:
    torch.jit.script(module).save(f"models/{name}.torchscript.pt")
    with open(f"models/{name}.torchscript.pt.json", "w") as out:
        json.dump({"input": [1, 28, 28]}, out)
