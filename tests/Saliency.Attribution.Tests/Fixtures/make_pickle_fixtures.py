"""Produces the pickled state-dict fixtures of the model-loading tests.

Run once with Debian's python3-torch (apt-get install python3-torch): /usr/bin/python3 make_pickle_fixtures.py

- fashion-cnn.state-dict.pt: torch.save(model.state_dict()) of a network laid out as the built-in
  fashion-cnn (attribution/Models/FashionCnn.cs), with seeded random weights, and beside it
  fashion-cnn.state-dict.pt.json (its metadata) and fashion-cnn.state-dict.expected.json (PyTorch's logits).
- malicious-state-dict.pt: a torch.save archive of a state dict holding one tensor and an entry whose
  unpickling calls os.system (the GLOBAL opcode, pickle protocol 2, as torch.save writes).
- malicious-plain.pkl: the same payload as a bare pickle of protocol 4 (STACK_GLOBAL, memoized names).

The payload would create PAYLOAD_MARKER; the script proves it does under Python's own unpickler, so
the tests can show that loading refuses the file before anything runs.
"""
import json
import os
import pickle
from collections import OrderedDict

import torch
import torch.nn as nn

PAYLOAD_MARKER = "/tmp/saliency-pickle-payload-ran"


class FashionCnn(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential()
        for i, (cin, cout) in enumerate([(1, 32), (32, 64), (64, 128)], start=1):
            self.features.add_module(f"conv{i}", nn.Conv2d(cin, cout, 3, padding=1))
            self.features.add_module(f"bn{i}", nn.BatchNorm2d(cout))
            self.features.add_module(f"relu{i}", nn.ReLU())
            if i < 3:
                self.features.add_module(f"pool{i}", nn.MaxPool2d(2))
        self.classifier = nn.Linear(128, classes)

    def forward(self, x):
        return self.classifier(self.features(x).mean(dim=(2, 3)))


class Payload:
    def __reduce__(self):
        return os.system, (f"touch {PAYLOAD_MARKER}",)


torch.manual_seed(5)
model = FashionCnn()
# Non-trivial running statistics, so evaluation mode differs from a fresh network.
with torch.no_grad():
    for name, module in model.named_modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
model.eval()
torch.save(model.state_dict(), "fashion-cnn.state-dict.pt")
with open("fashion-cnn.state-dict.pt.json", "w") as out:
    json.dump({"architecture": "fashion-cnn", "input": [1, 28, 28], "mean": [0.2860], "std": [0.3530]}, out)
probe = torch.linspace(0, 1, 2 * 28 * 28).reshape(2, 1, 28, 28)
with open("fashion-cnn.state-dict.expected.json", "w") as out:
    json.dump({"probe": "linspace(0, 1, 1568) as [2, 1, 28, 28], normalised by mean 0.2860 and std 0.3530",
               "logits": model((probe - 0.2860) / 0.3530).tolist()}, out, indent=1)

# Kept small: one genuine tensor beside the payload.
poisoned = OrderedDict(classifier_bias=model.classifier.bias.detach(), payload=Payload())
torch.save(poisoned, "malicious-state-dict.pt")
with open("malicious-plain.pkl", "wb") as out:
    pickle.dump(Payload(), out, protocol=4)

# Both payloads are live: Python's unpickler runs them.
for path, load in [("malicious-state-dict.pt", torch.load), ("malicious-plain.pkl", lambda p: pickle.load(open(p, "rb")))]:
    if os.path.exists(PAYLOAD_MARKER):
        os.remove(PAYLOAD_MARKER)
    load(path)
    assert os.path.exists(PAYLOAD_MARKER), f"{path}: the payload did not run under Python"
    os.remove(PAYLOAD_MARKER)
print("fixtures written; both payloads run under Python's unpickler")
