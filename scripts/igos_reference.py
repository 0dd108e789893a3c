#!/usr/bin/python3
"""Runs the I-GOS authors' code (zhongangqi/IGOS) on the shipped Fashion-MNIST model and records its
deletion and insertion AUCs and seconds per image, for `saliency bench igos-reference`.

What it runs
    The authors' `Integrated_Mask` and `Deletion_Insertion` (IGOS_generate_video.py, with util.py beside it),
    imported from a checkout outside this repository (--reference), unchanged, with the settings of their
    `__main__`: 15 iterations, 20 integration points, tv_beta 2, l1 0.01 * 100, tv 0.2 * 100, a 28-cell mask,
    their line search (step 200, decay 0.2, Armijo constant 1e-4, minimum 1e-5) and their l1 relaxation, and
    the noise they draw (cv2.randn on a three-channel array, added twice over, so N(0, 0.4) on the first channel
    in normalised units). Their baseline is `cv2.GaussianBlur(img, (51, 51), 50)` on 224 pixels; here the same
    call with kernel and σ scaled to 28 pixels, (7, 7) and 6.25. The target is the predicted class (their -1).

What is adapted, in this driver only, for a one-channel 28 x 28 model
    - `preprocess_image` (ImageNet's BGR means) is replaced by Fashion-MNIST's normalisation
      (x - 0.2860) / 0.3530 into a [1, 1, 28, 28] tensor.
    - `Integrated_Mask` expands its mask to three channels, so the path points it builds are three identical
      channels plus its noise on the first; the model is wrapped to read the first channel, which is then the
      grey image with the authors' noise on it. Its line search and deletion/insertion images are one channel.
    - `Deletion_Insertion` draws a figure at every step (`save_new`, `showimage`); those two are replaced by a
      recorder of its curves, and it reads GroundTruth1000.txt from the working directory, so it runs in the
      checkout.
    - CPU only (use_cuda 0), one thread, the seed set for torch and for OpenCV's generator.

What it scores
    deletion, insertion: the RISE curves that Saliency's deletion and insertion metrics compute, on the
        authors' mask: pixels by descending 1 - mask (ties in pixel order), 28 pixels (one row) moved per step
        between the image and the same blurred image, the softmax probability of the class at every step, area
        by the trapezoid rule over [0, 1]. `saliency bench igos-reference` scores Saliency's maps the same way
        (substrate blur:6.25:7, metric step 28).
    authors_deletion, authors_insertion: the area (trapezoid over its points, x in [0, 1]) under the curves the
        authors' `Deletion_Insertion` draws: the k cells of lowest mask deleted to (or inserted into) the blur,
        k = 0, 3, ..., 222, i.e. the first 28.6% of the pixels only.
    seconds: wall time of `Integrated_Mask` for the image.

How to run
    mkdir -p /tmp/igos-ref && git --git-dir=/work/.mirror/zhongangqi+IGOS/repo archive HEAD | tar -x -C /tmp/igos-ref
    /usr/bin/python3 scripts/igos_reference.py --reference /tmp/igos-ref --images 200 \
        --out docs/data/igos-reference.json

    Needs Debian's python3-torch, python3-torchvision, python3-opencv, python3-skimage, python3-scipy and
    python3-matplotlib (the authors' modules import them). Progress goes to stderr.
"""
import argparse
import contextlib
import datetime
import gzip
import io
import json
import math
import os
import struct
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEAN, STD = 0.2860, 0.3530
SIDE = 28
# The authors' Gaussian_param [51, 50] on 224 pixels, scaled to 28 (the kernel to the nearest odd size).
KERNEL, SIGMA = 7, 50 * SIDE / 224
SETTINGS = dict(max_iterations=15, integ_iter=20, tv_beta=2, l1_coeff=0.01 * 100, tv_coeff=0.2 * 100, size_init=28)
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 9: 2.262, 19: 2.093, 29: 2.045, 49: 2.010,
        99: 1.984, 199: 1.972}


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reference", required=True, help="checkout of zhongangqi/IGOS")
    p.add_argument("--weights", default=os.path.join(ROOT, "models", "fashion-cnn.safetensors"))
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")
    p.add_argument("--images", type=int, default=200, help="the first N test images")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", default=os.path.join(ROOT, "docs", "data", "igos-reference.json"))
    return p.parse_args()


def load_safetensors(path, np):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    types = {"F32": np.float32, "I64": np.int64}
    state = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        state[name] = np.frombuffer(raw[8 + n + begin:8 + n + end], dtype=types[entry["dtype"]]).reshape(entry["shape"])
    return state


def build_model(torch, np, path):
    """attribution/Models/FashionCnn.cs in PyTorch; it takes normalised [N, C, 28, 28] input and reads channel 0."""
    nn = torch.nn

    class FashionCnn(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential()
            for i, (cin, cout) in enumerate([(1, 32), (32, 64), (64, 128)], start=1):
                self.features.add_module(f"conv{i}", nn.Conv2d(cin, cout, 3, padding=1))
                self.features.add_module(f"bn{i}", nn.BatchNorm2d(cout))
                self.features.add_module(f"relu{i}", nn.ReLU())
                if i < 3:
                    self.features.add_module(f"pool{i}", nn.MaxPool2d(2))
            self.classifier = nn.Linear(128, 10)

        def forward(self, x):
            return self.classifier(self.features(x[:, :1]).mean(dim=(2, 3)))

    model = FashionCnn()
    state = {k: torch.from_numpy(v.copy()) for k, v in load_safetensors(path, np).items()}
    model.load_state_dict(state)
    model.eval()
    for p in model.parameters():
        p.requires_grad = False
    return model


def read_images(path, count, np):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    (magic,) = struct.unpack(">I", raw[:4])
    dims = struct.unpack(">" + "I" * (magic & 0xFF), raw[4:4 + 4 * (magic & 0xFF)])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)
    return data[:count].astype(np.float32) / 255


def rise_auc(torch, np, model, x, blurred, saliency, category, deletes, step=SIDE):
    """Saliency's CausalMetric: `step` pixels per step by descending saliency, ties in pixel order."""
    flat = saliency.reshape(-1).astype(np.float32)
    order = np.argsort(-flat, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    rank = torch.from_numpy(rank.reshape(1, 1, SIDE, SIDE))
    start, finish = (x, blurred) if deletes else (blurred, x)
    steps = (order.size + step - 1) // step
    moved = rank < (torch.arange(steps + 1) * step).view(-1, 1, 1, 1)
    batch = torch.where(moved, finish, start)
    with torch.no_grad():
        curve = torch.softmax(model(batch).double(), dim=1)[:, category].numpy()
    return float(trapezoid(curve)), curve


def trapezoid(curve):
    return (sum(curve) - curve[0] / 2 - curve[-1] / 2) / (len(curve) - 1)


def interval(values):
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    t = T975.get(n - 1) or 1.96
    return {"mean": mean, "low": mean - t * sd / math.sqrt(n), "high": mean + t * sd / math.sqrt(n)}


def main():
    args = parse_args()
    weights, data, out = (os.path.abspath(p) for p in (args.weights, args.data, args.out))
    import numpy as np
    import torch
    torch.set_num_threads(1)
    reference = os.path.abspath(args.reference)
    sys.path.insert(0, reference)
    os.chdir(reference)  # Deletion_Insertion opens ./GroundTruth1000.txt
    import cv2
    import IGOS_generate_video as igos

    def preprocess_image(img, use_cuda=0, require_grad=False):
        t = torch.from_numpy(np.ascontiguousarray((img - MEAN) / STD, dtype=np.float32)).view(1, 1, SIDE, SIDE)
        return t.requires_grad_(require_grad)

    curves = {}

    def record(del_img, insert_img, del_curve, insert_curve, target_path, xtick, title):
        curves["deletion"], curves["insertion"] = del_curve.copy(), insert_curve.copy()

    igos.preprocess_image = preprocess_image
    igos.save_new = lambda mask, img, blurred: None
    igos.showimage = record

    model = build_model(torch, np, weights)
    images = read_images(data, args.images, np)
    torch.manual_seed(args.seed)
    cv2.setRNGSeed(args.seed)

    rows = []
    for index, image in enumerate(images):
        blurred = cv2.GaussianBlur(image, (KERNEL, KERNEL), SIGMA)
        x, xb = preprocess_image(image), preprocess_image(blurred)
        with torch.no_grad():
            logits = model(x)[0].numpy().copy()
        category = int(np.argmax(logits))
        quiet = io.StringIO()
        clock = time.perf_counter()
        with contextlib.redirect_stdout(quiet):
            mask, upsampled, *_ = igos.Integrated_Mask(image, blurred, model, -1, use_cuda=0, **SETTINGS)
        seconds = time.perf_counter() - clock
        with contextlib.redirect_stdout(quiet):
            igos.Deletion_Insertion(mask, model, "", image, blurred, logits, category=-1, pixelnum=200,
                                    use_cuda=0, blur_mask=0, outputfig=1)
        saliency = 1 - np.clip(upsampled.detach().numpy()[0, 0], 0, 1)
        deletion, _ = rise_auc(torch, np, model, x, xb, saliency, category, True)
        insertion, _ = rise_auc(torch, np, model, x, xb, saliency, category, False)
        rows.append({"index": index, "target": category, "deletion": round(deletion, 6), "insertion": round(insertion, 6),
                     "authors_deletion": round(float(trapezoid(curves["deletion"])), 6),
                     "authors_insertion": round(float(trapezoid(curves["insertion"])), 6),
                     "seconds": round(seconds, 3)})
        log(f"image {index}: class {category} deletion {deletion:.3f} insertion {insertion:.3f} {seconds:.1f} s")

    summary = {k: interval([r[k] for r in rows]) for k in ("deletion", "insertion", "authors_deletion", "authors_insertion")}
    result = {
        "reference": "zhongangqi/IGOS 541e4403a0a25136b4798ca1ddbe97843ac84361 (IGOS_generate_video.py, util.py)",
        "model": "models/fashion-cnn.safetensors",
        "images": f"fashion-mnist:test:0-{len(rows) - 1}",
        "target": "predicted",
        "settings": dict(SETTINGS, blur_kernel=KERNEL, blur_sigma=SIGMA, noise_sigma=0.4,
                         noise_how="cv2.randn(noise, 0, 0.2) on a three-channel array, added to itself: N(0, 0.4) on the first channel",
                         line_search=dict(initial_step=200, decay=0.2, armijo=1e-4, minimum_step=1e-5),
                         metric_step=SIDE, substrate=f"blur:{SIGMA:g}:{KERNEL}", seed=args.seed, threads=1),
        "summary": summary,
        "seconds_per_image": sum(r["seconds"] for r in rows) / len(rows),
        "date": datetime.date.today().isoformat(),
        "command": "/usr/bin/python3 scripts/igos_reference.py --reference /tmp/igos-ref --images "
                   f"{len(rows)} --out docs/data/igos-reference.json",
        "per_image": rows,
    }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    log(json.dumps(summary), f"{result['seconds_per_image']:.2f} s/img")


if __name__ == "__main__":
    main()
