#!/usr/bin/env bash
# Runs the DP-SGD step benchmark of DPSynth and the JAX reference (shared/reference/bench/
# jax_dpsgd.py) one after the other on this machine, so that their ratios can be compared.
# Sets up the reference's virtual environment on first use (PyPI: jax[cpu], optax, numpy).
#
# The JAX side skips dp_vmap (40–85× its plain step; not one of the goals' comparisons).
# DPSynth runs twice (before and after JAX) and keeps the lower median per configuration.
#
# Usage: scripts/bench-jax.sh [--quick] [--threads 2]
#   --quick     short timing loops on both sides (smoke run, not figures to report)
#   --threads   thread counts for both sides (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${DPSYNTH_SHARED:-$(cd .. && pwd)/shared}"
venv="${DPSYNTH_BENCH_VENV:-$(cd .. && pwd)/.venv-bench}"
quick=""
threads="2"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick="--quick"; shift ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "unknown option $1 (expected --quick or --threads N)" >&2; exit 2 ;;
  esac
done
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import jax, optax, numpy' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'jax[cpu]' optax numpy
fi
# DPSYNTH_SKIP_BUILD=1 reuses an existing release build (e.g. the one scripts/test made).
[ -n "${DPSYNTH_SKIP_BUILD:-}" ] || swift build -c release --product dpsynth
out="$(mktemp -d)"
# DPSynth runs before and after the reference; per configuration the attempt with the lower
# median is kept, as jax_dpsgd.py keeps the least disturbed of its attempts (other jobs on a
# shared machine slow whichever side they overlap).
echo "== DPSynth (dpsynth bench --suite dpsgd --threads $threads), first attempt =="
.build/release/dpsynth bench --suite dpsgd --threads "$threads" $quick --json > "$out/dpsynth-1.json"
echo "== JAX reference =="
"$venv/bin/python" "$shared/reference/bench/jax_dpsgd.py" --out "$out/jax.csv" --thread-counts "$threads" \
  --variants plain,dp_ghost,gan_dp $quick > "$out/jax.log"
echo "== DPSynth, second attempt =="
.build/release/dpsynth bench --suite dpsgd --threads "$threads" $quick --json > "$out/dpsynth-2.json"
"$venv/bin/python" - "$out/dpsynth-1.json" "$out/dpsynth-2.json" "$out/jax.csv" <<'PY'
import csv, json, sys
attempts = [json.load(open(path)) for path in sys.argv[1:3]]
key = lambda r: (r['variant'], r['input'], r['batch'], r['threads'])
best = {}
for attempt in attempts:
    for r in attempt:
        if key(r) not in best or r['median_ms'] < best[key(r)]['median_ms']:
            best[key(r)] = r
rows = list(best.values())
jax_rows = []
with open(sys.argv[3]) as f:
    jax_rows = list(csv.DictReader(line for line in f if not line.startswith('#')))
# Medians are the figures to compare; the 10th percentiles (both sides record them) are the
# less disturbed ones when other jobs share the machine (see jax other_cpu in the raw csv).
for statistic in ('median_ms', 'p10_ms'):
    ours = {(r['variant'], r['input'], r['batch'], r['threads']): r[statistic] for r in rows}
    jax = {(r['variant'], int(r['d']), int(r['batch']), int(r['threads'])): float(r[statistic]) for r in jax_rows}
    print(f"-- {statistic} --")
    print(f"{'d':>4} {'batch':>5} {'thr':>3} | {'plain':>7} {'jax':>7} | {'dp':>7} {'dp/plain':>8} {'jax ghost':>9} {'ghost/dp':>8} | {'gan_dp':>7} {'jax gan':>8} {'jax/ours':>8}")
    for (variant, d, b, t), plain in sorted(ours.items()):
        if variant != 'plain':
            continue
        dp = ours.get(('dp', d, b, t)); gan = ours.get(('gan_dp', d, b, t))
        jp = jax.get(('plain', d, b, t)); jg = jax.get(('dp_ghost', d, b, t)); jgan = jax.get(('gan_dp', d, b, t))
        fmt = lambda x: f"{x:7.2f}" if x is not None else "    n/a"
        ratio = lambda a, c: f"{a / c:8.2f}" if a is not None and c else "     n/a"
        print(f"{d:>4} {b:>5} {t:>3} | {fmt(plain)} {fmt(jp)} | {fmt(dp)} {ratio(dp, plain)} {fmt(jg):>9} {ratio(jg, dp)} | {fmt(gan)} {fmt(jgan):>8} {ratio(jgan, gan)}")
disturbed = [f"{r['variant']} d={r['d']} b={r['batch']}: {r['other_cpu']}" for r in jax_rows if float(r['other_cpu']) > 0.15]
if disturbed:
    print("JAX timings disturbed by other processes (cores' worth of other CPU use): " + "; ".join(disturbed))
PY
echo "raw results in $out"
