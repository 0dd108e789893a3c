"""Produces captum-robustness/: a small ReLU network as TorchScript (model.torchscript.pt and its JSON) and, as .npy
files, Captum's infidelity and max-sensitivity on it, the numbers the tests compare Saliency's Infidelity and
MaxSensitivity with.

Run once, from this folder, with Debian's python3-torch and Captum 0.7.0 on the path (fetch pytorch/captum, tag v0.7.0;
it is not kept in this repository): PYTHONPATH=/tmp/captum /usr/bin/python3 make_captum_robustness.py
The first four Fashion-MNIST test images, explained for their predicted class by Captum's Saliency (|gradient|). The
perturbations are drawn here, saved, and given to Captum through its perturbation functions, so both sides see the
same ones: infidelity's N(0, 0.1²) in pixel units, max-sensitivity's uniform in [-0.02, 0.02] (Captum's default
radius), 10 samples each, in Captum's order (each image's samples together).
"""
import gzip
import json
import os

import numpy as np
import torch
from captum.attr import Saliency
from captum.metrics import infidelity, sensitivity_max

IMAGES, SAMPLES = 4, 10
OUT = "captum-robustness"

with gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz") as f:
    raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
images = torch.tensor(raw[: IMAGES * 784].reshape(IMAGES, 1, 28, 28) / 255.0, dtype=torch.float32)

class SmallCnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 8, 5, padding=2)
        self.conv2 = torch.nn.Conv2d(8, 16, 3, padding=1)
        self.fc = torch.nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        x = torch.nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.nn.functional.max_pool2d(torch.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))


torch.manual_seed(5)
os.makedirs(OUT, exist_ok=True)
model = torch.jit.script(SmallCnn().eval())
model.save(os.path.join(OUT, "model.torchscript.pt"))
with open(os.path.join(OUT, "model.torchscript.pt.json"), "w") as out:
    json.dump({"input": [1, 28, 28]}, out)
targets = model(images).argmax(dim=1)
saliency = Saliency(model).attribute(images, target=targets, abs=True).detach()

generator = torch.Generator().manual_seed(11)
noise = torch.randn((IMAGES * SAMPLES, 1, 28, 28), generator=generator) * 0.1
shifts = (torch.rand((IMAGES * SAMPLES, 1, 28, 28), generator=generator) * 2 - 1) * 0.02


def perturb_noise(inputs):
    return noise, inputs - noise


def perturb_shift(inputs, radius):
    return inputs + shifts


fidelity = infidelity(model, perturb_noise, images, saliency, target=targets, n_perturb_samples=SAMPLES)
normalised = infidelity(model, perturb_noise, images, saliency, target=targets, n_perturb_samples=SAMPLES, normalize=True)
sensitivity = sensitivity_max(Saliency(model).attribute, images, perturb_func=perturb_shift,
                              n_perturb_samples=SAMPLES, target=targets, abs=True)

for name, value in [("images", images), ("targets", targets.float()), ("saliency", saliency), ("noise", noise),
                    ("shifts", shifts), ("infidelity", fidelity), ("infidelity-normalised", normalised), ("sensitivity", sensitivity)]:
    np.save(os.path.join(OUT, f"{name}.npy"), value.detach().numpy().astype(np.float32))
print("targets", targets.tolist())
print("infidelity", fidelity.tolist())
print("infidelity, normalised", normalised.tolist())
print("max-sensitivity", sensitivity.tolist())
