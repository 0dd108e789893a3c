"""Produces opencv-blur/: images blurred by OpenCV's cv2.GaussianBlur(image, (k, k), sigma) with its default border
(BORDER_REFLECT_101), for the tests that compare Saliency's blur:SIGMA:K with it.

Run once, from this folder, with Debian's python3-opencv (4.6) and python3-numpy: /usr/bin/python3 make_opencv_blur.py

The image is a 20 x 24 crop of the project's chelsea.jpg (client/photos, CC0) in [0, 1], channel-first, saved in
float64 and float32; a 3 x 5 crop of it, narrower than the 9-tap kernel, checks the repeated reflection of wide kernels.
Each case is NAME.npy (the blurred image, [1, 3, H, W]) with the image it blurs:
  sigma2-k7        float64, sigma 2, 7 x 7
  sigma6.25-k7     float64, sigma 50 * 28 / 224, 7 x 7: the I-GOS reference's fixed kernel at Fashion-MNIST's size
  sigma2-k7-f32    float32, sigma 2, 7 x 7
  sigma1.5-k9-tiny float64, sigma 1.5, 9 x 9 on the 3 x 5 crop
"""
import os

import cv2
import numpy as np

OUT = "opencv-blur"
photo = cv2.imread("../../../client/photos/chelsea.jpg")[:, :, ::-1]  # BGR to RGB
image = photo[100:120, 90:114].astype(np.float64) / 255.0
tiny = image[5:8, 3:8].copy()


def chw(hwc):
    return np.ascontiguousarray(hwc.transpose(2, 0, 1)[None])


os.makedirs(OUT, exist_ok=True)
np.save(os.path.join(OUT, "image.npy"), chw(image))
np.save(os.path.join(OUT, "image-f32.npy"), chw(image.astype(np.float32)))
np.save(os.path.join(OUT, "tiny.npy"), chw(tiny))
cases = {
    "sigma2-k7": (image, 2.0, 7),
    "sigma6.25-k7": (image, 50 * 28 / 224, 7),
    "sigma2-k7-f32": (image.astype(np.float32), 2.0, 7),
    "sigma1.5-k9-tiny": (tiny, 1.5, 9),
}
for name, (source, sigma, size) in cases.items():
    blurred = cv2.GaussianBlur(source, (size, size), sigma)
    assert blurred.dtype == source.dtype
    np.save(os.path.join(OUT, f"{name}.npy"), chw(blurred))
