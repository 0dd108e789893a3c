"""Makes the source photographs of the photos-planted benchmark, once, from Debian's python3-skimage (0.19.3).

Each photograph's centre square is resized to 448 x 448 (Lanczos) and saved as a JPEG of quality 90 beside this
script; grey photographs stay grey (the decoder makes them RGB). Run from this folder: /usr/bin/python3 make_photographs.py
"""
import numpy as np
import skimage.data
from PIL import Image

SIDE = 448
NAMES = ["astronaut", "chelsea", "coffee", "rocket", "retina", "hubble_deep_field", "immunohistochemistry",
         "camera", "coins", "brick", "grass", "gravel"]

for name in NAMES:
    pixels = np.asarray(getattr(skimage.data, name)())
    height, width = pixels.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = Image.fromarray(pixels[top:top + side, left:left + side])
    square.resize((SIDE, SIDE), Image.LANCZOS).save(f"{name}.jpg", quality=90)
