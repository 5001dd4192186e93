#!/usr/bin/env python3
"""Train-on-synthetic / test-on-real ROC AUC for synthetic CSVs written by the models
measurement test (Tests/DPSynthModelsTests/MeasurementTests.swift).

Same preprocessing and models as ../shared/reference/utility/trtr_baseline.py (median
imputation + standardisation; '(missing)' level + one-hot; LogisticRegression(max_iter=5000),
RandomForestClassifier(n_estimators=500, random_state=0)), same fixed test rows
(shared/data/splits/NAME_test_rows.txt). The classifiers are fitted on the synthetic rows and
scored on the real test rows.

Usage: python models-tstr.py RUNS_DIR   (reads RUNS_DIR/runs.jsonl, writes RUNS_DIR/tstr.csv)
Needs scikit-learn and pandas (e.g. /work/.venv-audit/bin/python).
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

SHARED = os.environ.get('DPSYNTH_SHARED', '/work/shared')
# name: (label column, positive value, dropped columns, categorical columns)
TASKS = {
    'gbsg2': ('cens', 1, ['cens', 'time'], ['horTh', 'menostat', 'tgrade']),
    'pbc': ('status', 2, ['status', 'id', 'time'], ['sex', 'trt']),
    'flchain': ('death', 1, ['death', 'futime', 'chapter'], ['sex']),
}


def features(df, drop, cat_cols):
    X = df.drop(columns=[c for c in drop if c in df.columns])
    for c in cat_cols:
        X[c] = X[c].map(lambda v: v if pd.isna(v) else str(v)).astype(object)
    return X


def models(num_cols, cat_cols):
    pre = ColumnTransformer(
        [('num', make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), num_cols)] +
        ([('cat', make_pipeline(SimpleImputer(strategy='constant', fill_value='(missing)'),
                                OneHotEncoder(handle_unknown='ignore')), cat_cols)] if cat_cols else []))
    return {'lr': make_pipeline(pre, LogisticRegression(max_iter=5000)),
            'rf': make_pipeline(pre, RandomForestClassifier(n_estimators=500, random_state=0, n_jobs=2))}


def tstr(name, synthetic_path):
    label, positive, drop, cat_cols = TASKS[name]
    real = pd.read_csv(os.path.join(SHARED, 'data', f'{name}.csv'), keep_default_na=False, na_values=[''])
    test_rows = [int(x) for x in open(os.path.join(SHARED, 'data', 'splits', f'{name}_test_rows.txt')).read().split()]
    test = real.iloc[test_rows]
    syn = pd.read_csv(synthetic_path, keep_default_na=False, na_values=[''])
    y_syn = (syn[label].astype(float) == positive).astype(int).to_numpy()
    y_test = (test[label].astype(float) == positive).astype(int).to_numpy()
    X_syn, X_test = features(syn, drop, cat_cols), features(test, drop, cat_cols)
    X_test = X_test[X_syn.columns]
    num_cols = [c for c in X_syn.columns if c not in cat_cols]
    out = {}
    if len(set(y_syn)) < 2:
        return {'lr': 0.5, 'rf': 0.5, 'positive_rate': float(y_syn.mean())}
    for key, model in models(num_cols, cat_cols).items():
        model.fit(X_syn, y_syn)
        out[key] = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    out['positive_rate'] = float(y_syn.mean())
    return out


def main():
    directory = sys.argv[1]
    rows = []
    for line in open(os.path.join(directory, 'runs.jsonl')):
        run = json.loads(line)
        scores = tstr(run['dataset'], os.path.join(directory, run['file']))
        run.update({'tstr_lr_auc': round(scores['lr'], 4), 'tstr_rf_auc': round(scores['rf'], 4),
                    'synth_positive_rate': round(scores['positive_rate'], 4)})
        rows.append(run)
        print(json.dumps(run), flush=True)
    pd.DataFrame(rows).to_csv(os.path.join(directory, 'tstr.csv'), index=False)


if __name__ == '__main__':
    main()
