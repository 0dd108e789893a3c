#!/usr/bin/env python3
"""Writes the test fixture of measured deletion and insertion curves from the metrics-curves.json that
`saliency bench metrics` writes: every curve of every image, scores rounded to 4 decimals (which leaves plateaus
exactly flat, so AdaptiveCurve scores a few points fewer on them than on the raw curves: 203 per image against 224).
Made from: ./saliency bench metrics --threads 2 --repetitions 1 --data photos-planted:test:16-63 --images 48 --out bench
Usage: /usr/bin/python3 scripts/make_measured_curves_fixture.py bench/metrics-curves.json \
           tests/Saliency.Attribution.Tests/Fixtures/photos-planted-curves.json"""
import json
import sys


def main(source, target):
    images = json.load(open(source))
    curves = [[round(score, 4) for score in image[name]] for image in images for name in ("deletion", "insertion")]
    with open(target, "w") as out:
        out.write("[\n" + ",\n".join(json.dumps(curve, separators=(",", ":")) for curve in curves) + "\n]\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
