#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Charts of a bench run with gnuplot (Debian's gnuplot-nox): PNG files.

    plot.py RESULTS_DIR

From medians.csv and ratios.csv (parse.py):
  iops-L<us>.png   per null_blk latency, a panel per fio job: median IOPS
                   against ring order, a line per pair FRONT x BACK, and the
                   dom0-native ceiling (dashed) when it was measured;
  cpu-L<us>.png    the same panels: CPU time per I/O in the domU (solid)
                   and in dom0 (dashed), per pair;
  ratios.png       per pair, project/in-tree ratio per job (IOPS, domU and
                   dom0 CPU/IO) with min..max over boots.
"""
import csv
import os
import subprocess
import sys


def load(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def main(d):
    med = load(os.path.join(d, "medians.csv"))
    rat = load(os.path.join(d, "ratios.csv")) if os.path.exists(os.path.join(d, "ratios.csv")) else []
    jobs = []
    for r in med:
        if r["job"] not in jobs:
            jobs.append(r["job"])
    pairs = sorted({r["pair"] for r in med if r["pair"] != "dom0"})
    lats = sorted({int(r["lat_ns"]) for r in med})
    gp = os.path.join(d, "charts.gp")
    datdir = os.path.join(d, "chart-data")
    os.makedirs(datdir, exist_ok=True)
    cols = (len(jobs) + 1) // 2 if len(jobs) > 3 else len(jobs)
    rows_n = (len(jobs) + cols - 1) // cols
    g = []
    G = g.append
    G("set terminal pngcairo size %d,%d font 'sans,9'" % (420 * cols, 340 * rows_n + 40))
    G("set termoption noenhanced; set grid; set key top left font 'sans,7'")
    G("set xlabel 'ring order (lb pages)'; set xtics 1")
    # gnuplot stops at a series without a single point: a run without
    # CPU figures (BENCH_PAR) gets no CPU chart, and a pair without a
    # domain's figure no line for it.
    has_cpu = any(r["domU_cpu_us_per_io"] or r["dom0_cpu_us_per_io"] for r in med)
    charts = [("iops", "iops", "IOPS (median, log scale)")]
    if has_cpu:
        charts.append(("cpu", "cpu", "CPU us per I/O (median)"))
    for lat in lats:
        for what, fname, ylab in charts:
            G(f"set output '{os.path.join(d, f'{fname}-L{lat // 1000}us.png')}'")
            G(f"set multiplot layout {rows_n},{cols} title '{what.upper()}, null_blk latency {lat / 1000:g} us (QEMU TCG: compare lines, not numbers)'")
            for job in jobs:
                plots = []
                for i, p in enumerate(pairs):
                    sel = sorted((int(r["order"]), r) for r in med
                                 if r["pair"] == p and int(r["lat_ns"]) == lat and r["job"] == job)
                    if not sel:
                        continue
                    fn = os.path.join(datdir, f"{p.replace(' ', '')}-{lat}-{job}.dat")
                    with open(fn, "w") as f:
                        for o, r in sel:
                            f.write(f"{o} {r['iops'] or 'NaN'} {r['domU_cpu_us_per_io'] or 'NaN'} {r['dom0_cpu_us_per_io'] or 'NaN'}\n")
                    if what == "iops":
                        plots.append(f"'{fn}' u 1:2 w lp lc {i + 1} pt 7 t '{p}'")
                    else:
                        if any(r["domU_cpu_us_per_io"] for _, r in sel):
                            plots.append(f"'{fn}' u 1:3 w lp lc {i + 1} pt 7 t '{p} domU'")
                        if any(r["dom0_cpu_us_per_io"] for _, r in sel):
                            plots.append(f"'{fn}' u 1:4 w lp lc {i + 1} dt 2 pt 6 t '{p} dom0'")
                ceil = [r for r in med if r["pair"] == "dom0" and int(r["lat_ns"]) == lat and r["job"] == job]
                if what == "iops" and ceil and ceil[0]["iops"]:
                    plots.append(f"{float(ceil[0]['iops'])} w l lc rgb 'black' dt 3 t 'dom0 native'")
                scale = "set logscale y; set yrange [*:*]" if what == "iops" else "unset logscale y; set yrange [0:*]"
                G(f"set title '{job}'; set ylabel '{ylab}'; {scale}; set xrange [-0.5:6.5]")
                G("plot " + (", ".join(plots) if plots else "NaN t ''"))
            G("unset multiplot")
    base_rows = [r for r in rat if r["kind"] == "vs-base"]
    if base_rows:
        others = sorted({(r["pair"], r["order"], r["lat_ns"]) for r in base_rows})
        G(f"set output '{os.path.join(d, 'ratios.png')}'")
        G("set terminal pngcairo size 1100,%d font 'sans,9'" % (330 * len(others) + 40))
        G("set termoption noenhanced")
        G(f"set multiplot layout {len(others)},1 title 'pair / {base_rows[0]['ref']}: median over boots, bars min..max'")
        for p, o, lat in others:
            fn = os.path.join(datdir, f"ratio-{p.replace(' ', '')}-{o}-{lat}.dat")
            have = set()  # the metrics with a figure (BENCH_PAR runs: no CPU)
            with open(fn, "w") as f:
                for i, job in enumerate(jobs):
                    vals = []
                    for m in ("iops", "domU_cpu_us_per_io", "dom0_cpu_us_per_io"):
                        x = [r for r in base_rows if (r["pair"], r["order"], r["lat_ns"], r["job"], r["metric"]) == (p, o, lat, job, m)]
                        vals += [x[0]["median"], x[0]["min"], x[0]["max"]] if x else ["NaN"] * 3
                        if x:
                            have.add(m)
                    f.write(f"{i} {job} " + " ".join(vals) + "\n")
            G("unset logscale y; unset xlabel; set xtics rotate by -20; set xrange [-0.5:%g]; set yrange [0:*]" % (len(jobs) - 0.5))
            G(f"set title '{p} / {base_rows[0]['ref']}, order {o}, null_blk latency {int(lat) / 1000:g} us'; set ylabel 'ratio'")
            # gnuplot stops at a series without a single point.
            series = [f"'{fn}' u ($1-0.2):3:4:5:xtic(2) w yerrorbars pt 7 lc 1 t 'IOPS'"]
            if "domU_cpu_us_per_io" in have:
                series.append("'' u 1:6:7:8 w yerrorbars pt 5 lc 2 t 'domU CPU/IO'")
            if "dom0_cpu_us_per_io" in have:
                series.append("'' u ($1+0.2):9:10:11 w yerrorbars pt 9 lc 3 t 'dom0 CPU/IO'")
            G("plot 1 w l lc rgb 'black' t '', " + ", ".join(series))
        G("unset multiplot")
    with open(gp, "w") as f:
        f.write("\n".join(g) + "\n")
    subprocess.run(["gnuplot", gp], check=True)


if __name__ == "__main__":
    main(sys.argv[1])
