"""Prints the SciPy p-values that PairedStatisticsTests compares WilcoxonSignedRank with.

The cases have tied magnitudes, where the exact null distribution does not hold and the normal approximation with
the tie correction is used (SciPy 1.13 and later choose it by themselves; 1.10 must be asked with mode="approx").

Run once with Debian's python3-scipy: /usr/bin/python3 tests/Saliency.Attribution.Tests/Statistics/wilcoxon_fixture.py
"""
import scipy
from scipy.stats import wilcoxon

CASES = [
    "1 1 2 2 3 -1 4 5 5 6",
    "0.5 -0.25 0.5 1 -1 2 0.5 -0.5 3 1 1 -2",
]

print("scipy", scipy.__version__)
for case in CASES:
    d = [float(v) for v in case.split()]
    p = wilcoxon(d, mode="approx").pvalue
    print(f"[InlineData(\"{case}\", {p:.15f})]")
