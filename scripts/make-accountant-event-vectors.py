#!/usr/bin/env python3
"""Reference ε for the events DPSynth's accountants support beyond DP-SGD (shared/reference covers
DP-SGD itself): Laplace, Poisson-sampled Laplace, heterogeneous DP-SGD, repeated Gaussians.

Computed with Google's dp_accounting 0.6.0: RdpAccountant() (default orders) and
PLDAccountant(value_discretization_interval=1e-4). Each `name` is built the same way by
Tests/DPSynthAccountingTests/EventReferenceTests.swift.
Usage: /work/.venv-acct/bin/python scripts/make-accountant-event-vectors.py
Writes scripts/reference/accountant_events.csv.
"""
import csv
import logging
import os

import dp_accounting as dpa
from dp_accounting.pld import pld_privacy_accountant
from dp_accounting.rdp import rdp_privacy_accountant

HERE = os.path.dirname(os.path.abspath(__file__))


def dpsgd(q, sigma, steps):
  return dpa.SelfComposedDpEvent(dpa.PoissonSampledDpEvent(q, dpa.GaussianDpEvent(sigma)), steps)


EVENTS = {
    'laplace_scale_2': dpa.LaplaceDpEvent(2.0),
    'laplace_scale_0.5_x20': dpa.SelfComposedDpEvent(dpa.LaplaceDpEvent(0.5), 20),
    'poisson_0.1_laplace_scale_1_x50': dpa.SelfComposedDpEvent(
        dpa.PoissonSampledDpEvent(0.1, dpa.LaplaceDpEvent(1.0)), 50),
    'dpsgd_0.01_1.0_500_then_0.05_2.0_100': dpa.ComposedDpEvent([dpsgd(0.01, 1.0, 500), dpsgd(0.05, 2.0, 100)]),
    'gaussian_20_x1000': dpa.SelfComposedDpEvent(dpa.GaussianDpEvent(20.0), 1000),
}
# PoissonSampled(Laplace) has no RDP in dp_accounting.
RDP_UNSUPPORTED = {'poisson_0.1_laplace_scale_1_x50'}
DELTAS = [1e-5, 1e-9]


def main():
  logging.getLogger('absl').setLevel(logging.ERROR)
  rows = []
  for name, event in EVENTS.items():
    pld = pld_privacy_accountant.PLDAccountant(value_discretization_interval=1e-4)
    pld.compose(event)
    rdp = None
    if name not in RDP_UNSUPPORTED:
      rdp = rdp_privacy_accountant.RdpAccountant()
      rdp.compose(event)
    for delta in DELTAS:
      rows.append([name, 'pld', delta, repr(float(pld.get_epsilon(delta)))])
      if rdp is not None:
        rows.append([name, 'rdp', delta, repr(float(rdp.get_epsilon(delta)))])
  path = os.path.join(HERE, 'reference', 'accountant_events.csv')
  os.makedirs(os.path.dirname(path), exist_ok=True)
  with open(path + '.tmp', 'w', newline='') as f:
    writer = csv.writer(f, lineterminator='\n')
    writer.writerow(['event', 'accountant', 'delta', 'epsilon'])
    writer.writerows(rows)
  os.replace(path + '.tmp', path)
  print(f'wrote {path}: {len(rows)} rows')


if __name__ == '__main__':
  main()
