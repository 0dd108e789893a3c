#!/usr/bin/python3
"""Makes the committed photographs and image-decoding fixtures once, with Debian's python3-skimage and python3-pil.

  /usr/bin/python3 scripts/make_photo_fixtures.py

client/photos/: five photographs that scikit-image ships (public domain or CC0, see client/photos/LICENCES.md),
resized on the shorter side to 224 and centre-cropped to 224 x 224, as JPEG quality 90.

tests/Saliency.Attribution.Tests/Fixtures/images/: one small picture (a red left half, a blue right half, a green top-left quarter) saved in
the forms a decoder must turn into the same RGB pixels: grey, palette, alpha, CMYK JPEG, and JPEGs whose EXIF
orientation tag says how to turn the stored pixels upright.
"""
import os

import numpy as np
import skimage.data
from PIL import Image

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

photos = os.path.join(root, "client", "photos")
os.makedirs(photos, exist_ok=True)
for name in ["astronaut", "chelsea", "coffee", "rocket", "retina"]:
    image = Image.fromarray(getattr(skimage.data, name)()).convert("RGB")
    width, height = image.size
    scale = 224 / min(width, height)
    image = image.resize((max(224, round(width * scale)), max(224, round(height * scale))), Image.BILINEAR)
    left, top = (image.width - 224) // 2, (image.height - 224) // 2
    image.crop((left, top, left + 224, top + 224)).save(os.path.join(photos, f"{name}.jpg"), quality=90)

fixtures = os.path.join(root, "tests", "Saliency.Attribution.Tests", "Fixtures", "images")
os.makedirs(fixtures, exist_ok=True)
upright = np.zeros((24, 32, 3), np.uint8)
upright[:, :16] = (255, 0, 0)
upright[:, 16:] = (0, 0, 255)
upright[:12, :8] = (0, 255, 0)
picture = Image.fromarray(upright)
picture.save(os.path.join(fixtures, "upright.png"))
picture.convert("L").save(os.path.join(fixtures, "grey.png"))
picture.convert("P", palette=Image.ADAPTIVE, colors=4).save(os.path.join(fixtures, "palette.png"))
with_alpha = picture.convert("RGBA")
with_alpha.putalpha(Image.fromarray(np.full((24, 32), 40, np.uint8)))
with_alpha.save(os.path.join(fixtures, "alpha.png"))
picture.convert("CMYK").save(os.path.join(fixtures, "cmyk.jpg"), quality=95)

# EXIF orientation n: the stored pixels are the upright picture transformed by the inverse of what tag n says to do.
stored = {
    3: picture.transpose(Image.ROTATE_180),
    6: picture.transpose(Image.ROTATE_90),   # tag 6: rotate 90° clockwise to view, so stored turned counter-clockwise
    8: picture.transpose(Image.ROTATE_270),  # tag 8: rotate 90° counter-clockwise to view
}
for tag, image in stored.items():
    exif = Image.Exif()
    exif[0x0112] = tag
    name = f"orientation-{tag}.jpg"
    image.save(os.path.join(fixtures, name), quality=95, exif=exif.tobytes())
