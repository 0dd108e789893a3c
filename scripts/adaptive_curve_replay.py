#!/usr/bin/env python3
"""Replays AdaptiveCurve's refinement on full curves that `saliency bench metrics` wrote (metrics-curves.json), for
several error models: points scored per image (the two shared ends not counted), the largest AUC error against the full
trapezoid, and how many curves erred beyond their own estimate. Each model gives every gap between scored points a
variance; the estimate is z standard deviations of their sum, and the gaps of largest variance are halved first (a
halving taken to leave a quarter of the gap's variance, as for a monotone gap's bound or a Brownian bridge).
Usage: /usr/bin/python3 scripts/adaptive_curve_replay.py bench/metrics-curves.json [more.json ...]"""
import json
import math
import sys

TOLERANCE, COARSE = 0.005, 32


def trapezoid(points, intervals):
    keys = sorted(points)
    return sum((b - a) * (points[a] + points[b]) for a, b in zip(keys, keys[1:])) / (2 * intervals)


def uniform_within_bounds(points, intervals):
    """AdaptiveCurve's model: each gap's error uniform within ±b, b = (b − a)/K · |f(b) − f(a)| / 2, variance b² / 3."""
    keys = sorted(points)
    return [((b - a) / intervals * abs(points[b] - points[a]) / 2) ** 2 / 3 if b - a >= 2 else 0.0 for a, b in zip(keys, keys[1:])]


def brownian_bridge(points, intervals):
    """The curve between scored points as a Brownian bridge, its volatility from the second differences at the gap's
    ends (drift removed): variance σ² h³ / 12 for a gap of width h."""
    keys = sorted(points)
    x, f = [k / intervals for k in keys], [points[k] for k in keys]
    volatility = [0.0] * len(keys)
    for j in range(1, len(keys) - 1):
        chord = f[j - 1] + (f[j + 1] - f[j - 1]) * (x[j] - x[j - 1]) / (x[j + 1] - x[j - 1])
        volatility[j] = (f[j] - chord) ** 2 * (x[j + 1] - x[j - 1]) / ((x[j] - x[j - 1]) * (x[j + 1] - x[j]))
    volatility[0], volatility[-1] = volatility[1], volatility[-2]
    return [max(volatility[j], volatility[j + 1]) * (x[j + 1] - x[j]) ** 3 / 12 if keys[j + 1] - keys[j] >= 2 else 0.0
            for j in range(len(keys) - 1)]


def replay(curve, variances, z):
    intervals = len(curve) - 1
    points = {round(j * intervals / COARSE): curve[round(j * intervals / COARSE)] for j in range(COARSE + 1)}
    while True:
        keys, gaps = sorted(points), variances(points, intervals)
        total = sum(gaps)
        if z * math.sqrt(total) <= TOLERANCE:
            return points, z * math.sqrt(total)
        halved = False
        for i in sorted(range(len(gaps)), key=lambda i: -gaps[i]):
            if z * math.sqrt(total) <= TOLERANCE or gaps[i] == 0:
                break
            middle = (keys[i] + keys[i + 1]) // 2
            points[middle] = curve[middle]
            total -= 0.75 * gaps[i]
            halved = True
        if not halved:
            return points, z * math.sqrt(sum(gaps))


def main(paths):
    rules = {
        "uniform within bounds, 3 sd (AdaptiveCurve)": (uniform_within_bounds, 3.0),
        "uniform within bounds, 2.5 sd": (uniform_within_bounds, 2.5),
        "uniform within bounds, 2 sd": (uniform_within_bounds, 2.0),
        "Brownian bridge, 3 sd": (brownian_bridge, 3.0),
    }
    for path in paths:
        curves = [c[name] for c in json.load(open(path)) for name in ("deletion", "insertion")]
        print(f"{path}: {len(curves) // 2} images, {len(curves[0]) - 1} intervals per curve")
        for name, (variances, z) in rules.items():
            scored, worst, beyond = 0, 0.0, 0
            for curve in curves:
                points, estimate = replay(curve, variances, z)
                error = abs(trapezoid(points, len(curve) - 1) - trapezoid(dict(enumerate(curve)), len(curve) - 1))
                scored += len(points) - 2
                worst = max(worst, error)
                beyond += error > estimate + 1e-12
            print(f"  {name:46s} points per image {2 * scored / len(curves):6.1f}  largest error {worst:.4f}  "
                  f"beyond its estimate {beyond} of {len(curves)}")


if __name__ == "__main__":
    main(sys.argv[1:])
