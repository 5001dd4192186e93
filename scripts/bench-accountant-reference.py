#!/usr/bin/env python3
"""Times Google's dp_accounting 0.6.0 on the settings of `dpsynth bench --suite accountant`.

Same calls as shared/reference/accountant/make_vectors.py: RdpAccountant() with default orders,
PLDAccountant(value_discretization_interval=1e-4), mechanism_calibration.calibrate_dp_mechanism.
Setup:  python3 -m venv /work/.venv-acct && /work/.venv-acct/bin/pip install dp-accounting==0.6.0
Usage:  /work/.venv-acct/bin/python scripts/bench-accountant-reference.py [--json] [--quick]
"""
import argparse
import json
import logging
import statistics
import time

import dp_accounting as dpa
from dp_accounting import mechanism_calibration as mc
from dp_accounting.pld import pld_privacy_accountant
from dp_accounting.rdp import rdp_privacy_accountant as rdp_mod

# Keep in sync with Sources/dpsynth/Bench/AccountantBench.swift.
Q, SIGMA, DELTA = 0.01, 1.0, 1e-5
RDP_STEPS, PLD_STEPS = 100_000, 10_000
TARGET_EPSILON, CALIBRATION_STEPS = 2.0, 10_000


def dpsgd_event(q, sigma, steps):
  return dpa.SelfComposedDpEvent(dpa.PoissonSampledDpEvent(q, dpa.GaussianDpEvent(sigma)), steps)


def rdp_epsilon():
  acc = rdp_mod.RdpAccountant()
  acc.compose(dpsgd_event(Q, SIGMA, RDP_STEPS))
  return acc.get_epsilon(DELTA)


def pld_epsilon():
  acc = pld_privacy_accountant.PLDAccountant(value_discretization_interval=1e-4)
  acc.compose(dpsgd_event(Q, SIGMA, PLD_STEPS))
  return acc.get_epsilon(DELTA)


def calibrate():
  # Same tolerance as DPSynth's calibration default (relative 1e-6 of a σ near 1).
  return mc.calibrate_dp_mechanism(
      rdp_mod.RdpAccountant, lambda s: dpsgd_event(Q, s, CALIBRATION_STEPS),
      TARGET_EPSILON, DELTA, mc.LowerEndpointAndGuess(0.1, 1.0), tol=1e-6)


def timed(fn, repetitions):
  fn()  # warm-up
  samples, value = [], None
  for _ in range(repetitions):
    t0 = time.perf_counter()
    value = fn()
    samples.append((time.perf_counter() - t0) * 1000)
  return value, statistics.median(samples)


def main():
  ap = argparse.ArgumentParser()
  ap.add_argument('--json', action='store_true')
  ap.add_argument('--quick', action='store_true')
  args = ap.parse_args()
  logging.getLogger('absl').setLevel(logging.ERROR)
  reps = 1 if args.quick else 3
  rows = []
  for name, fn, setting in [
      ('rdp_epsilon', rdp_epsilon, f'q={Q} sigma={SIGMA} steps={RDP_STEPS} delta={DELTA}'),
      ('pld_epsilon', pld_epsilon, f'q={Q} sigma={SIGMA} steps={PLD_STEPS} delta={DELTA}'),
      ('rdp_calibration', calibrate, f'target={TARGET_EPSILON} q={Q} steps={CALIBRATION_STEPS} delta={DELTA}'),
  ]:
    value, ms = timed(fn, reps)
    rows.append({'case': name, 'setting': setting, 'value': value, 'median_ms': ms})
  if args.json:
    print(json.dumps(rows))
  else:
    for r in rows:
      print(f"{r['case']:16s} {r['setting']:45s} value={r['value']:.6f}  {r['median_ms']:.1f} ms")


if __name__ == '__main__':
  main()
