#!/usr/bin/env python3
"""A reference point for train-on-synthetic AUC on small tables: the label-conditional
independence synthesizer ("DP naive Bayes").

It releases, with the Gaussian mechanism, one histogram per feature crossed with the label
(continuous features in equal-width bins of log(1 + x − min) between the schema's PUBLIC bounds,
categorical features by the schema's categories), and samples rows as label ~ released label
shares, then each feature independently given the label (a continuous value uniformly within
its bin). Each record adds 1 to one cell of each of the k tables, so the count vector has L2
sensitivity √k; σ = √k / √(2ρ) with ρ the zCDP parameter that gives (ε, δ = 1e-5) through
ε = ρ + 2√(ρ ln(1/δ)) (Bun & Steinke 2016, Proposition 1.3). With --epsilon 0 nothing is noised.

It does not model any relation between features, so it shows how much of a data set's
train-on-synthetic AUC the label-conditional marginals alone carry, with and without noise
(docs/models.md uses it on gbsg2).

Writes NAME-eE-bB-sS.csv files and runs.jsonl into OUT_DIR, in the layout scripts/models-tstr.py
scores:  python independence-baseline.py gbsg2 OUT_DIR --epsilon 1 --bins 10 --seeds 0-31
"""
import argparse
import json
import math
import os

import numpy as np
import pandas as pd

SHARED = os.environ.get('DPSYNTH_SHARED', '/work/shared')
HERE = os.path.dirname(os.path.abspath(__file__))


def zcdp_rho(epsilon, delta):
    low, high = 0.0, epsilon
    for _ in range(200):
        middle = (low + high) / 2
        if middle + 2 * math.sqrt(middle * math.log(1 / delta)) > epsilon:
            high = middle
        else:
            low = middle
    return low


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('name')
    parser.add_argument('out')
    parser.add_argument('--epsilon', type=float, required=True)
    parser.add_argument('--delta', type=float, default=1e-5)
    parser.add_argument('--bins', type=int, default=10)
    parser.add_argument('--seeds', default='0-31')
    args = parser.parse_args()
    first, last = (int(x) for x in args.seeds.split('-'))
    schema = json.load(open(os.path.join(HERE, '..', 'Schemas', f'{args.name}.json')))
    real = pd.read_csv(os.path.join(SHARED, 'data', f'{args.name}.csv'), keep_default_na=False, na_values=[''])
    test_rows = set(int(x) for x in open(os.path.join(SHARED, 'data', 'splits', f'{args.name}_test_rows.txt')).read().split())
    train = real.iloc[[i for i in range(len(real)) if i not in test_rows]]
    label = next(c for c in schema['columns'] if c.get('role') == 'label')
    label_values = [str(v) for v in label['categories']['values']] if 'categories' in label else ['0', '1']
    features = [c for c in schema['columns'] if c.get('role') == 'feature']
    y = train[label['name']].astype(str).map({v: i for i, v in enumerate(label_values)}).to_numpy()
    if label['kind'] == 'boolean' and 'categories' not in label:
        y = train[label['name']].astype(int).to_numpy()
    sigma = 0.0 if args.epsilon == 0 else math.sqrt(len(features)) / math.sqrt(2 * zcdp_rho(args.epsilon, args.delta))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'runs.jsonl'), 'w') as runs:
        for seed in range(first, last + 1):
            random = np.random.default_rng(seed)
            tables, decoders = [], []
            for column in features:
                values = train[column['name']]
                if 'categories' in column:
                    levels = [str(v) for v in column['categories']['values']]
                    cells = values.astype(str).map({v: i for i, v in enumerate(levels)}).fillna(0).astype(int).to_numpy()
                    decoders.append(lambda index, r, levels=levels: np.array(levels, dtype=object)[index])
                    width = len(levels)
                else:
                    low, high = column['bounds']['min'], column['bounds']['max']
                    edges = low + np.expm1(np.linspace(0, math.log1p(high - low), args.bins + 1))
                    cells = np.clip(np.searchsorted(edges, values.fillna(low).to_numpy(), side='right') - 1, 0, args.bins - 1)
                    decoders.append(lambda index, r, edges=edges: np.floor(edges[index] + r.random(len(index)) * (edges[index + 1] - edges[index])))
                    width = args.bins
                table = np.zeros((len(label_values), width))
                np.add.at(table, (y, cells), 1)
                tables.append(np.clip(table + random.normal(0, sigma, table.shape), 0, None))
            label_shares = np.mean([t.sum(axis=1) for t in tables], axis=0)
            label_shares /= label_shares.sum()
            rows = len(train)
            classes = random.choice(len(label_values), size=rows, p=label_shares)
            synthetic = {}
            for column, table, decode in zip(features, tables, decoders):
                shares = (table + 1e-12) / (table + 1e-12).sum(axis=1, keepdims=True)
                index = np.array([random.choice(table.shape[1], p=shares[c]) for c in classes])
                synthetic[column['name']] = decode(index, random)
            synthetic[label['name']] = np.array(label_values, dtype=object)[classes] if 'categories' in label else classes
            file = f'{args.name}-e{args.epsilon:g}-b{args.bins}-s{seed}.csv'
            pd.DataFrame(synthetic).to_csv(os.path.join(args.out, file), index=False)
            runs.write(json.dumps({'tag': file[:-4], 'dataset': args.name, 'epsilon': args.epsilon, 'seed': seed,
                                   'file': file, 'fidelity': 0}) + '\n')


if __name__ == '__main__':
    main()
