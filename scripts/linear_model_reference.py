#!/usr/bin/env python3
"""Golden numbers for DPSynthAudit's linear models on the multi-class and regression tasks.

scikit-learn's defaults, as the audit's train-on-real baseline uses them, on two shared
datasets with a fixed split (rows whose 0-based index is divisible by 5 are the test rows):
- digits (10 classes): median imputation + standardisation, LogisticRegression(max_iter=5000)
  (L2, C = 1, lbfgs, multinomial) -> accuracy, macro-F1, balanced accuracy, at the default
  tolerance and run to convergence (tol 1e-8);
- diabetes (continuous target): the same preprocessing, Ridge(alpha=1) -> R^2.
Writes Tests/DPSynthAuditTests/Resources/linear_model_reference.json.

Usage: /work/.venv-audit/bin/python scripts/linear_model_reference.py
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, r2_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get('DPSYNTH_SHARED') or os.path.join(os.path.dirname(ROOT), 'shared')
OUT = os.path.join(ROOT, 'Tests', 'DPSynthAuditTests', 'Resources', 'linear_model_reference.json')


def split(frame, label):
  is_test = np.arange(len(frame)) % 5 == 0
  features = frame.drop(columns=[label])
  return features[~is_test], frame[label][~is_test], features[is_test], frame[label][is_test]


def main():
  cases = []
  digits = pd.read_csv(os.path.join(SHARED, 'data', 'digits.csv'))
  x_train, y_train, x_test, y_test = split(digits, 'digit')
  model = make_pipeline(SimpleImputer(strategy='median'), StandardScaler(), LogisticRegression(max_iter=5000))
  model.fit(x_train, y_train)
  predicted = model.predict(x_test)
  # The default stops at a 1e-4 gradient (31 iterations); run to 1e-8 as well: the optimum itself.
  converged = make_pipeline(SimpleImputer(strategy='median'), StandardScaler(),
                            LogisticRegression(max_iter=100000, tol=1e-8))
  converged.fit(x_train, y_train)
  exact = converged.predict(x_test)
  cases.append({'dataset': 'digits', 'label': 'digit', 'task': 'multi_class', 'test_rows': int(len(y_test)),
                'accuracy': accuracy_score(y_test, predicted),
                'macro_f1': f1_score(y_test, predicted, average='macro'),
                'balanced_accuracy': balanced_accuracy_score(y_test, predicted),
                'converged_accuracy': accuracy_score(y_test, exact),
                'converged_macro_f1': f1_score(y_test, exact, average='macro'),
                'converged_balanced_accuracy': balanced_accuracy_score(y_test, exact)})
  diabetes = pd.read_csv(os.path.join(SHARED, 'data', 'diabetes.csv'))
  x_train, y_train, x_test, y_test = split(diabetes, 'target')
  model = make_pipeline(SimpleImputer(strategy='median'), StandardScaler(), Ridge(alpha=1.0))
  model.fit(x_train, y_train)
  cases.append({'dataset': 'diabetes', 'label': 'target', 'task': 'regression', 'test_rows': int(len(y_test)),
                'r_squared': r2_score(y_test, model.predict(x_test))})
  temporary = OUT + '.tmp'
  with open(temporary, 'w') as f:
    json.dump({'generator': 'scripts/linear_model_reference.py', 'sklearn_version': sklearn.__version__,
               'cases': cases}, f, indent=1)
    f.write('\n')
  os.replace(temporary, OUT)
  print(json.dumps(cases, indent=1))


if __name__ == '__main__':
  main()
