"""Warm search and facet counts with the posting arrays and with sets, interleaved in one
process on one index (same load for both): the measurement quoted in docs/scale.md, run B.

    flock /tmp/archive-bench.lock .venv/bin/python benchmarks/ab_arrays_sets.py   # index at /tmp/wt16-bench/index-10000
"""
import time, sys, statistics
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from bench_scale import draw_words, percentile
from pathlib import Path
from archive import api
idx = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/wt16-bench/index-10000")
words = draw_words(idx, 150)
archives = {flag: api.Archive(idx, arrays=flag) for flag in (True, False)}
for a in archives.values(): a.search(words[0]); a.facets("people", "said")
lat = {True: [], False: []}
for round_ in range(2):
    for w in words:
        for flag, a in archives.items():   # interleaved: same load for both
            t = time.perf_counter(); a.search(w); lat[flag].append(time.perf_counter() - t)
for flag in (True, False):
    print("arrays" if flag else "sets", "p50 %.1f ms p95 %.1f ms" % (percentile(lat[flag], .5)*1000, percentile(lat[flag], .95)*1000))
fac = {True: [], False: []}
for i in range(7):
    for flag, a in archives.items():
        t = time.perf_counter(); a.facets("people", "said"); fac[flag].append(time.perf_counter() - t)
for flag in (True, False):
    print("arrays" if flag else "sets", "facets people said p50 %.1f ms" % (statistics.median(fac[flag])*1000))
