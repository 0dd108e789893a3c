"""Produces quantus-localisation/cases.json: seeded attribution maps and ground-truth masks, and what Quantus' localisation
metrics score on them, the numbers the tests compare Saliency's Metrics/Localisation with.

Run once, from this folder, with Quantus' quantus/ folder (fetch understandable-machine-intelligence-lab/Quantus; it is
not kept in this repository) and Debian's python3-numpy, python3-scipy, python3-sklearn, python3-pandas, python3-skimage,
python3-opencv, python3-tqdm and python3-matplotlib, which `import quantus` loads (no torch or tensorflow is needed):
/usr/bin/python3 make_quantus_localisation.py /path/to/quantus-checkout

Each case is a map (channels x height x width, float32 values of 6 significant digits) and a mask (height x width).
The map is summed over its channels in float64, as Quantus' explain() does (reduce_axes=[1]) and as Saliency does, and
Quantus is given that sum as a_batch and the mask as s_batch, both 1 x 1 x H x W, one case per call. Quantus' defaults
are kept (normalise_by_max included: one positive scale, which no metric here sees), except where its definition and
Saliency's part, where it is given what makes them the same measure:
  - RelevanceMassAccuracy divides signed sums; Saliency keeps positive relevance, so Quantus scores max(r, 0).
  - AUC scores the signed map; Saliency scores |r|, so Quantus runs with abs=True.
  - TopKIntersection's k = 1000 assumes 224 x 224; it is given k = round(1000 * H * W / 224^2), Saliency's scaling.
  - PointingGame has no tolerance radius: Saliency is compared at radius 0.
"tied" names the metrics whose answer a tie decides on that case: a maximum shared by several pixels (pointing game), or
equal values on both sides of the K-th (relevance rank) or k-th (top-k) place. The two sides break such ties differently
(Quantus by its order after an unstable sort, or any tied maximum for a hit; Saliency by the mean over the tie's
orders), so those values are compared on the other cases only.
"""
import json
import math
import os
import subprocess
import sys

import numpy as np
import scipy.ndimage

sys.path.insert(0, sys.argv[1])
import quantus  # noqa: E402
from quantus.metrics.localisation import (  # noqa: E402
    AUC, AttributionLocalisation, PointingGame, RelevanceMassAccuracy, RelevanceRankAccuracy, TopKIntersection)

OUT = "quantus-localisation"
rng = np.random.RandomState(2024)


def disc(h, w, cy, cx, ry, rx):
    y, x = np.mgrid[:h, :w]
    return ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1


def mask_of(kind, h, w):
    if kind == "disc":
        r = rng.uniform(0.1, 0.25) * h
        return disc(h, w, rng.uniform(r, h - r), rng.uniform(r, w - r), r, r)
    if kind == "box":
        bh, bw = rng.randint(h // 6, h // 2), rng.randint(w // 6, w // 2)
        top, left = rng.randint(0, h - bh), rng.randint(0, w - bw)
        m = np.zeros((h, w), bool)
        m[top:top + bh, left:left + bw] = True
        return m
    if kind == "ellipses":
        m = np.zeros((h, w), bool)
        for _ in range(3):
            m |= disc(h, w, rng.uniform(0, h), rng.uniform(0, w), rng.uniform(0.05, 0.2) * h, rng.uniform(0.05, 0.2) * w)
        return m
    if kind == "blob":
        smooth = scipy.ndimage.gaussian_filter(rng.rand(h, w), h / 10)
        return smooth > np.quantile(smooth, rng.uniform(0.6, 0.9))
    if kind == "pixel":
        m = np.zeros((h, w), bool)
        m[rng.randint(h), rng.randint(w)] = True
        return m
    if kind == "all-but-one":
        m = np.ones((h, w), bool)
        m[rng.randint(h), rng.randint(w)] = False
        return m
    if kind == "corner":
        m = np.zeros((h, w), bool)
        m[h - 4:, w - 5:] = True
        return m
    if kind == "line":
        m = np.zeros((h, w), bool)
        m[rng.randint(h), :] = True
        return m
    raise ValueError(kind)


def map_of(kind, c, h, w, mask):
    if kind == "gaussian":
        return rng.randn(c, h, w)
    if kind == "uniform":
        return rng.rand(c, h, w)
    if kind == "focused":
        # Smooth signed noise and a bump near the mask's centre, so the scores are away from chance.
        ys, xs = np.nonzero(mask)
        cy, cx = ys.mean() + rng.randn() * 2, xs.mean() + rng.randn() * 2
        y, x = np.mgrid[:h, :w]
        bump = np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * (0.15 * h) ** 2))
        noise = np.stack([scipy.ndimage.gaussian_filter(rng.randn(h, w), 1.5) for _ in range(c)])
        return noise + 1.5 * bump / c
    if kind == "quantised":
        return np.round(rng.rand(c, h, w) * 4) / 4
    raise ValueError(kind)


CASES = [  # (size, channels, map, mask)
    (28, 1, "gaussian", "disc"), (28, 1, "uniform", "disc"), (28, 1, "focused", "disc"), (28, 3, "gaussian", "box"),
    (28, 1, "focused", "box"), (28, 3, "focused", "ellipses"), (28, 1, "gaussian", "ellipses"), (28, 1, "uniform", "blob"),
    (28, 1, "focused", "blob"), (28, 3, "uniform", "blob"), (28, 1, "gaussian", "pixel"), (28, 1, "focused", "pixel"),
    (28, 1, "gaussian", "all-but-one"), (28, 1, "focused", "corner"), (28, 1, "gaussian", "corner"), (28, 1, "focused", "line"),
    (28, 3, "gaussian", "line"), (28, 1, "quantised", "disc"), (28, 1, "quantised", "box"), (28, 1, "uniform", "ellipses"),
    (56, 1, "focused", "disc"), (56, 1, "gaussian", "blob"), (56, 1, "focused", "ellipses"), (56, 1, "uniform", "box"),
]


def six_digits(values):
    return np.array([float(f"{v:.6g}") for v in values.ravel()]).reshape(values.shape)


def tied(relevance, mask, k):
    ordered = np.sort(relevance.ravel())[::-1]
    straddles = lambda n: bool(n < ordered.size and ordered[n - 1] == ordered[n])
    names = {"pointing_game": straddles(1), "relevance_rank": straddles(int(mask.sum())), "top_k_intersection": straddles(k)}
    return [name for name, is_tied in names.items() if is_tied]


def score(metric, relevance, mask):
    h, w = mask.shape
    value = metric(model=None, x_batch=np.zeros((1, 1, h, w)), y_batch=np.zeros(1, dtype=int),
                   a_batch=relevance.reshape(1, 1, h, w), s_batch=mask.reshape(1, 1, h, w).astype(np.float64),
                   channel_first=True)
    return float(np.asarray(value, dtype=np.float64)[0])


cases = []
for size, channels, map_kind, mask_kind in CASES:
    mask = mask_of(mask_kind, size, size)
    decimals = six_digits(map_of(map_kind, channels, size, size, mask))
    values = decimals.astype(np.float32)
    relevance = values.astype(np.float64).sum(axis=0)
    k = int(math.floor(1000 * size * size / 224 ** 2 + 0.5))
    quiet = {"disable_warnings": True}
    cases.append({
        "name": f"{map_kind} map, {mask_kind} mask, {channels}x{size}x{size}",
        "channels": channels, "height": size, "width": size,
        "map": decimals.ravel().tolist(),
        "mask": ["".join("1" if v else "0" for v in row) for row in mask],
        "tied": tied(relevance, mask, k),
        "k": k,
        "quantus": {
            "pointing_game": score(PointingGame(**quiet), relevance, mask),
            "relevance_mass": score(RelevanceMassAccuracy(**quiet), np.maximum(relevance, 0), mask),
            "relevance_rank": score(RelevanceRankAccuracy(**quiet), relevance, mask),
            "top_k_intersection": score(TopKIntersection(k=k, **quiet), relevance, mask),
            "attribution_localisation": score(AttributionLocalisation(**quiet), relevance, mask),
            "mask_auc": score(AUC(abs=True, **quiet), relevance, mask),
        },
    })

commit = subprocess.run(["git", "-C", sys.argv[1], "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "cases.json"), "w") as out:
    json.dump({"quantus": quantus.__version__, "commit": commit or "unknown", "cases": cases}, out, separators=(",", ":"))
    out.write("\n")
for case in cases:
    print(f"{case['name']:45} {','.join(case['tied']):40}", " ".join(f"{v:.4f}" for v in case["quantus"].values()))
