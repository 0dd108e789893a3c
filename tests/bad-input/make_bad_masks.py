"""Produces the ground-truth cases of the bad-input corpus: one 28 x 28 grey image (folders/masked/a.png) and, for it,
a mask folder with no mask, a mask of the wrong size, an empty mask, a mask that is not binary, and a box file whose
box lies outside the image. Run once with Debian's python3-pil, from this folder: /usr/bin/python3 make_bad_masks.py
"""
import os

import numpy as np
from PIL import Image


def save(folder, array):
    os.makedirs(f"folders/{folder}", exist_ok=True)
    Image.fromarray(array.astype(np.uint8), mode="L").save(f"folders/{folder}/a.png")


image = np.full((28, 28), 40)
image[8:20, 8:20] = 220
save("masked", image)

os.makedirs("folders/masks-missing", exist_ok=True)
with open("folders/masks-missing/NO-MASKS.txt", "w") as note:
    note.write("No mask for folders/masked/a.png: the case of a missing mask.\n")

save("masks-wrong-size", np.pad(np.full((4, 4), 255), 5))
save("masks-empty", np.zeros((28, 28)))
not_binary = np.zeros((28, 28))
not_binary[8:14, 8:20] = 128
not_binary[14:20, 8:20] = 255
save("masks-not-binary", not_binary)

with open("folders/boxes-outside.csv", "w") as boxes:
    boxes.write("file,x0,y0,x1,y1\na.png,20,20,40,40\n")
