#!/usr/bin/env python3
"""pandas.read_csv on a CSV file: the reference figure beside `dpsynth bench --suite io`.

    python scripts/bench-io-pandas.py FILE [--repetitions N]

Prints one JSON object: pandas version, rows, the median wall-clock seconds of N reads with
the default C parser (and their median CPU seconds; the file is read once first so it sits in the page cache, as it does
for dpsynth), and the process's peak resident set in bytes (getrusage; Linux reports KiB).
Needs pandas (pip install pandas; the project uses a venv at /work/.venv-io).
"""
import argparse
import json
import resource
import statistics
import time

import pandas as pd


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    with open(args.file, "rb") as f:
        while f.read(1 << 24):
            pass
    seconds = []
    cpu = []
    rows = 0
    for _ in range(args.repetitions):
        start = time.perf_counter()
        cpu_start = time.process_time()
        frame = pd.read_csv(args.file)
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
        rows = len(frame)
        del frame
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"pandas": pd.__version__, "rows": rows, "seconds": statistics.median(seconds),
                      "cpu_seconds": statistics.median(cpu),
                      "runs": seconds, "peak_rss_bytes": float(peak)}))


if __name__ == "__main__":
    main()
