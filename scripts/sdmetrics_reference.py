#!/usr/bin/env python3
"""Golden numbers for DPSynthAudit's utility and DCR metrics, computed with SDMetrics itself.

For a few fixed real-vs-"synthetic" pairs of the shared datasets (the fixed 80/20 splits in
shared/data/splits: training part vs test part, and one pair the other way round so that
the "synthetic" side has categories the "real" side lacks), this runs SDMetrics'
QualityReport and the single metrics, and SDMetrics' distance to closest record, and writes
Tests/DPSynthAuditTests/Resources/sdmetrics_reference.json. The Swift tests rebuild the same
tables from the CSVs and compare to these numbers.

Usage (from the repository root, shared/ beside it or DPSYNTH_SHARED set):
  python3 -m venv /work/.venv-audit && /work/.venv-audit/bin/pip install sdmetrics
  /work/.venv-audit/bin/python scripts/sdmetrics_reference.py
"""
import json
import math
import os
import sys
import warnings

import numpy as np
import pandas as pd
import sdmetrics
from sdmetrics.reports.single_table import QualityReport
from sdmetrics.single_table.privacy.dcr_utils import calculate_dcr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get('DPSYNTH_SHARED') or os.path.join(os.path.dirname(ROOT), 'shared')
OUT = os.path.join(ROOT, 'Tests', 'DPSynthAuditTests', 'Resources', 'sdmetrics_reference.json')

# dataset: column -> sdtype (columns not listed are dropped: identifiers).
SCHEMAS = {
    'gbsg2': {'horTh': 'categorical', 'age': 'numerical', 'menostat': 'categorical',
              'tsize': 'numerical', 'tgrade': 'categorical', 'pnodes': 'numerical',
              'progrec': 'numerical', 'estrec': 'numerical', 'time': 'numerical',
              'cens': 'boolean'},
    'flchain': {'age': 'numerical', 'sex': 'categorical', 'sample.yr': 'numerical',
                'kappa': 'numerical', 'lambda': 'numerical', 'flc.grp': 'numerical',
                'creatinine': 'numerical', 'mgus': 'boolean', 'futime': 'numerical',
                'death': 'boolean', 'chapter': 'categorical'},
    'pbc': {'time': 'numerical', 'status': 'categorical', 'trt': 'categorical',
            'age': 'numerical', 'sex': 'categorical', 'ascites': 'boolean',
            'hepato': 'boolean', 'spiders': 'boolean', 'edema': 'numerical',
            'bili': 'numerical', 'chol': 'numerical', 'albumin': 'numerical',
            'copper': 'numerical', 'alk.phos': 'numerical', 'ast': 'numerical',
            'trig': 'numerical', 'platelet': 'numerical', 'protime': 'numerical',
            'stage': 'categorical'},
}
# (case name, dataset, which split is "real", which is "synthetic", with DCR golden values)
CASES = [
    ('gbsg2_train_vs_test', 'gbsg2', 'train', 'test', True),
    ('flchain_train_vs_test', 'flchain', 'train', 'test', False),
    ('flchain_test_vs_train', 'flchain', 'test', 'train', False),
    ('pbc_train_vs_test', 'pbc', 'train', 'test', True),
]


def load(dataset):
  schema = SCHEMAS[dataset]
  frame = pd.read_csv(os.path.join(SHARED, 'data', f'{dataset}.csv'), keep_default_na=False,
                      na_values=[''])[list(schema)]
  for column, sdtype in schema.items():
    if sdtype != 'numerical':  # categories as their text in the CSV, missing stays NaN
      frame[column] = frame[column].map(lambda v: v if pd.isna(v) else str(v)).astype(object)
  test_rows = np.loadtxt(os.path.join(SHARED, 'data', 'splits', f'{dataset}_test_rows.txt'),
                         dtype=int)
  is_test = np.zeros(len(frame), dtype=bool)
  is_test[test_rows] = True
  return {'train': frame[~is_test].reset_index(drop=True),
          'test': frame[is_test].reset_index(drop=True)}, schema


def number(value):
  value = float(value)
  return None if math.isnan(value) else value


def run_case(name, dataset, real_split, synthetic_split, with_dcr):
  splits, schema = load(dataset)
  real, synthetic = splits[real_split], splits[synthetic_split]
  metadata = {'columns': {c: {'sdtype': t} for c, t in schema.items()}}
  report = QualityReport()  # default: a pair counts only if |rho_real| > 0.5 or V_real > 0.3
  report.generate(real, synthetic, metadata, verbose=False)
  shapes = report.get_details('Column Shapes')
  pairs = report.get_details('Column Pair Trends')
  properties = report.get_properties().set_index('Property')['Score']
  all_pairs_report = QualityReport()  # every pair counts (SDMetrics before the thresholds)
  all_pairs_report.real_correlation_threshold = 0
  all_pairs_report.real_association_threshold = 0
  all_pairs_report.generate(real, synthetic, metadata, verbose=False)
  all_pairs = all_pairs_report.get_details('Column Pair Trends')
  all_properties = all_pairs_report.get_properties().set_index('Property')['Score']
  case = {
      'name': name, 'dataset': dataset, 'real_split': real_split,
      'synthetic_split': synthetic_split, 'columns': schema,
      'column_scores': [{'column': r['Column'], 'metric': r['Metric'], 'score': number(r['Score'])}
                        for _, r in shapes.iterrows()],
      'pair_scores': [{'column_1': r['Column 1'], 'column_2': r['Column 2'],
                       'metric': r['Metric'], 'score': number(a['Score']),
                       'real_correlation': number(r['Real Correlation']),
                       'real_association': number(r['Real Association']),
                       'meets_threshold': bool(r['Meets Threshold?'] is True or r['Meets Threshold?'] == True)}
                      for (_, r), (_, a) in zip(pairs.iterrows(), all_pairs.iterrows())],
      'column_shapes': number(properties['Column Shapes']),
      'column_pair_trends': number(properties['Column Pair Trends']),
      'quality': number(report.get_score()),
      'column_pair_trends_all_pairs': number(all_properties['Column Pair Trends']),
      'quality_all_pairs': number(all_pairs_report.get_score()),
  }
  if with_dcr:
    # Synthetic -> real distance to closest record, SDMetrics' definition (ranges from the
    # reference table, numeric |a-b|/range capped at 1, categories 0/1, mean over columns).
    dcr = calculate_dcr(synthetic, real, metadata)
    case['dcr_synthetic_to_real'] = [number(v) for v in dcr]
  return case


def main():
  warnings.simplefilter('ignore')
  cases = [run_case(*spec) for spec in CASES]
  os.makedirs(os.path.dirname(OUT), exist_ok=True)
  temporary = OUT + '.tmp'
  with open(temporary, 'w') as f:
    json.dump({'generator': 'scripts/sdmetrics_reference.py',
               'sdmetrics_version': sdmetrics.__version__,
               'pandas_version': pd.__version__, 'numpy_version': np.__version__,
               'cases': cases}, f, indent=1)
    f.write('\n')
  os.replace(temporary, OUT)
  for case in cases:
    print(case['name'], 'shapes', case['column_shapes'], 'pairs', case['column_pair_trends'],
          'quality', case['quality'], file=sys.stderr)


if __name__ == '__main__':
  main()
