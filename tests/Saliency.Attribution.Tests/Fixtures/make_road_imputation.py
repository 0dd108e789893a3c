"""Produces road-imputation/: ROAD's noisy linear imputation, with the noise off, from the reference implementation
(tleemann/road_evaluation, road/imputations.py), for the test that compares Saliency's LinearImputation with it.

Run once, from this folder, with Debian's python3-torch, python3-scipy and python3-skimage, and the reference's road/
package on the path (fetch tleemann/road_evaluation; it is not kept in this repository):
PYTHONPATH=/path/to/road_evaluation /usr/bin/python3 make_road_imputation.py

The image is a 40 × 48 crop of scikit-image's astronaut photograph (public domain, NASA), every fourth pixel, in [0, 1].
Four masks: 30% of the pixels at random; the 90% a smooth random map ranks first, which leaves wide holes; a block on a
corner and along two borders; and every pixel but one.
"""
import os

import numpy as np
import scipy.ndimage
import torch
from road.imputations import NoisyLinearImputer
from skimage import data

OUT = "road-imputation"
HEIGHT, WIDTH = 40, 48

image = data.astronaut()[40:40 + 4 * HEIGHT:4, 120:120 + 4 * WIDTH:4].astype(np.float32) / 255.0
image = torch.tensor(image).permute(2, 0, 1).contiguous()

rng = np.random.RandomState(3)
masks = np.zeros((4, HEIGHT, WIDTH), dtype=np.float32)  # 1 where removed
masks[0] = rng.rand(HEIGHT, WIDTH) < 0.3
smooth = scipy.ndimage.gaussian_filter(rng.rand(HEIGHT, WIDTH), 4).flatten()
masks[1].flat[np.argsort(-smooth, kind="stable")[: int(0.9 * HEIGHT * WIDTH)]] = 1
masks[2, :15, :20] = 1
masks[2, :, -3:] = 1
masks[3] = 1
masks[3, 20, 30] = 0

imputer = NoisyLinearImputer(noise=0.0)
# The reference's mask is 1 where a pixel is kept.
imputed = np.stack([imputer(image.clone(), torch.tensor(1 - m)).numpy() for m in masks])

os.makedirs(OUT, exist_ok=True)
np.save(os.path.join(OUT, "image.npy"), image.unsqueeze(0).numpy())
np.save(os.path.join(OUT, "removed.npy"), masks[:, None])
np.save(os.path.join(OUT, "imputed.npy"), imputed.astype(np.float32))
