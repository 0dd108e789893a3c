#!/usr/bin/env python3
"""Replays AdaptiveCurve's refinement on full curves that `saliency bench metrics` wrote (metrics-curves.json), for
several ways of combining the gaps' bounds into an error estimate: points scored per image and the largest AUC error
against the full trapezoid. Usage: /usr/bin/python3 scripts/adaptive_curve_replay.py bench/metrics-curves.json"""
import json
import math
import sys

TOLERANCE, COARSE = 0.005, 32


def trapezoid(points, intervals):
    keys = sorted(points)
    return sum((b - a) * (points[a] + points[b]) for a, b in zip(keys, keys[1:])) / (2 * intervals)


def replay(curve, combine, shrink):
    """AdaptiveCurve's rounds: halve the gaps with the largest bounds until the combined estimate is within tolerance."""
    intervals = len(curve) - 1
    points = {round(j * intervals / COARSE): curve[round(j * intervals / COARSE)] for j in range(COARSE + 1)}
    while True:
        keys = sorted(points)
        gaps = sorted(((b - a) / intervals * abs(points[b] - points[a]) / 2 if b - a >= 2 else 0, a, b) for a, b in zip(keys, keys[1:]))[::-1]
        bounds = [g[0] for g in gaps]
        if combine(bounds) <= TOLERANCE:
            return points, combine(bounds)
        for bound, a, b in gaps:
            if combine(bounds) <= TOLERANCE or bound == 0:
                break
            points[(a + b) // 2] = curve[(a + b) // 2]
            bounds[bounds.index(bound)] = bound * shrink


def main(path):
    curves = [c[name] for c in json.load(open(path)) for name in ("deletion", "insertion")]
    rules = {
        "sum of bounds": (lambda b: sum(b), 0.5),
        "3 standard deviations, sqrt(3 sum b^2)": (lambda b: math.sqrt(3 * sum(x * x for x in b)), 0.5),
        "sqrt(sum b^2), half as strict": (lambda b: math.sqrt(sum(x * x for x in b)), 0.5),
    }
    for name, (combine, shrink) in rules.items():
        scored, worst, beyond = 0, 0.0, 0
        for curve in curves:
            points, estimate = replay(curve, combine, shrink)
            error = abs(trapezoid(points, len(curve) - 1) - trapezoid(dict(enumerate(curve)), len(curve) - 1))
            scored += len(points)
            worst = max(worst, error)
            beyond += error > estimate + 1e-12
        print(f"{name:52s} points per image {2 * scored / len(curves):6.1f}  largest error {worst:.4f}  beyond its estimate {beyond} of {len(curves)}")


if __name__ == "__main__":
    main(sys.argv[1])
