"""Proves the optimum of the set-covering town (bench/siting-quality.ts) with native HiGHS.

The library's HiGHS is a WebAssembly build that does not prove these 10,000 x 1,000 partial
covering problems within minutes; scipy's milp (native HiGHS) does in a few minutes on 2 cores.
Writes the table first:

    node bench/run.mjs siting-quality --lscp-seeds 18 --lscp-dump /tmp/lscp
    python3 bench/lscp-optimum.py /tmp/lscp/lscp-18.json [--cap N] [--time-limit S]

The model is the library's (docs/siting.md, set covering with a target share): x_j binary per
candidate, 0 <= y_i <= 1 per demand point that some candidate reaches, y_i <= sum of x_j over the
candidates within reach, sum of w_i y_i >= share * (all residents). `--cap N` adds sum x_j <= N
(then "infeasible" proves that no cover of N sites or fewer exists). Prints the optimum, the dual
bound and the sites, and checks the cover it returns against the requirement.
"""

import argparse
import json
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("table")
    parser.add_argument("--cap", type=int, default=None)
    parser.add_argument("--time-limit", type=float, default=3600.0)
    args = parser.parse_args()
    with open(args.table) as f:
        data = json.load(f)
    offsets = data["offsets"]
    targets = data["targets"]
    weight = np.array(data["weight"], dtype=float)
    n = data["candidates"]
    required = data["share"] * weight.sum()
    rows = [i for i in range(len(weight)) if offsets[i + 1] > offsets[i]]
    ny = len(rows)
    # Columns: x (n candidates), then y (one per reachable demand point).
    entries, row_of, col_of = [], [], []
    for k, i in enumerate(rows):
        row_of.append(k)
        col_of.append(n + k)
        entries.append(1.0)
        for q in range(offsets[i], offsets[i + 1]):
            row_of.append(k)
            col_of.append(targets[q])
            entries.append(-1.0)
    linking = csr_matrix((entries, (row_of, col_of)), shape=(ny, n + ny))
    share_row = np.zeros(n + ny)
    share_row[n:] = weight[rows]
    constraints = [
        LinearConstraint(linking, -np.inf, 0),
        # The library meets the requirement within 1e-9 of the population; this is tighter.
        LinearConstraint(share_row.reshape(1, -1), required * (1 - 1e-12), np.inf),
    ]
    if args.cap is not None:
        count = np.zeros(n + ny)
        count[:n] = 1
        constraints.append(LinearConstraint(count.reshape(1, -1), -np.inf, args.cap))
    cost = np.zeros(n + ny)
    cost[:n] = 1
    integrality = np.zeros(n + ny)
    integrality[:n] = 1
    start = time.time()
    result = milp(
        cost,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(0, 1),
        options={"time_limit": args.time_limit, "disp": True},
    )
    seconds = time.time() - start
    print(f"status {result.status}: {result.message}")
    print(f"objective {result.fun}, dual bound {getattr(result, 'mip_dual_bound', None)}, {seconds:.0f} s")
    if result.x is not None:
        sites = sorted(j for j in range(n) if result.x[j] > 0.5)
        chosen = set(sites)
        covered = sum(
            weight[i] for i in rows if any(targets[q] in chosen for q in range(offsets[i], offsets[i + 1]))
        )
        print(f"{len(sites)} sites cover {covered:.0f} of {required:.1f} required: {covered >= required * (1 - 1e-12)}")
        print("sites", json.dumps(sites))


if __name__ == "__main__":
    main()
