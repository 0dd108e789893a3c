#!/usr/bin/env python3
"""Replays ProxiedCurve on full curves of a model and of its bfloat16 copy, as `scripts/bfloat16-curves.cs` writes them
([[model curve, proxy curve], ...]), for several shares of the tolerance: the proxy's curve is estimated to share × the
tolerance, the difference (model − proxy) to the root of what is left, each by AdaptiveCurve's rule (replayed by
adaptive_curve_replay.py), and the two estimates combine as the root of their squares. Prints points per curve of each,
their cost in the model's passes at the proxy's measured speed-up, the largest AUC error against the model's full
trapezoid, and how many curves erred beyond their own estimate.
Usage: /usr/bin/python3 scripts/proxied_curve_replay.py SPEEDUP curves.json [more.json ...]"""
import json
import math
import sys

import adaptive_curve_replay as adaptive

TOLERANCE = 0.005


def estimate(curve, tolerance, coarse):
    adaptive.TOLERANCE, adaptive.COARSE = tolerance, coarse
    return adaptive.replay(curve, adaptive.uniform_within_bounds, 3.0)


def main(speedup, paths):
    pairs = [pair for path in paths for pair in json.load(open(path))]
    print(f"{len(pairs)} curves, {len(pairs[0][0]) - 1} intervals each, proxy {speedup}× as fast")
    print(f"model alone: {sum(len(estimate(m, TOLERANCE, 32)[0]) - 2 for m, _ in pairs) / len(pairs):.1f} points per curve")
    for share in (0.7, 0.8, 0.85, 0.9, 0.95):
        for coarse in (8, 16):
            tolerances = (share * TOLERANCE, math.sqrt(1 - share * share) * TOLERANCE)
            proxy_points = model_points = beyond = 0
            worst = 0.0
            for model, proxy in pairs:
                intervals = len(model) - 1
                proxy_scored, proxy_error = estimate(proxy, tolerances[0], 32)
                difference = [m - p for m, p in zip(model, proxy)]
                difference_scored, difference_error = estimate(difference, tolerances[1], coarse)
                proxy_points += len(proxy_scored) + len(set(difference_scored) - set(proxy_scored))
                model_points += len(difference_scored) - 2
                auc = adaptive.trapezoid(proxy_scored, intervals) + adaptive.trapezoid(difference_scored, intervals)
                error = abs(auc - adaptive.trapezoid(dict(enumerate(model)), intervals))
                worst = max(worst, error)
                beyond += error > math.hypot(proxy_error, difference_error) + 1e-12
            n = len(pairs)
            print(f"  share {share:.2f}, difference from {coarse:2d}: proxy {proxy_points / n:6.1f} + model {model_points / n:5.1f} points "
                  f"= {(proxy_points / speedup + model_points) / n:5.1f} model passes; largest error {worst:.4f}, beyond {beyond} of {n}")


if __name__ == "__main__":
    main(float(sys.argv[1]), sys.argv[2:])
