#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Parse a bench run (bench/run.sh): results.csv and ratios.txt.

    parse.py RESULTS_DIR

Inputs in RESULTS_DIR: config, boot-N.plan ("name boot pos front back
order lats rep", lats: the null_blk latencies in ns of the scenario's
disks xvda, xvdb, ..., comma-separated), boot-N.e2e (the E2E- lines of
the boot's serial logs), boot-N.done (the boot completed: run.sh writes
it). Only completed boots count (in runs from before boot-N.done, every
boot). Outputs: results.csv (one row per boot x pair x order x latency x
job x repetition), medians.csv (absolute medians per point, for the
charts) and ratios.txt. Standard library only (Debian's python3).
"""
import csv
import glob
import os
import re
import statistics
import sys

USER_HZ = 100  # /proc/stat jiffies per second (Debian kernels)
PAIR_NAME = {"intree": "in-tree", "proj": "proj", "dom0": "dom0"}


def code(pair):
    """'in-tree x proj' -> 'ip' (FRONT, BACK), for narrow columns; the
    second backend of an A/A run keeps its mark: 'in-tree x in-tree#2' ->
    'ii#2'."""
    if " x " not in pair:
        return pair
    return "".join(w[0] + (w[w.index("#"):] if "#" in w else "") for w in pair.split(" x "))


def driver_name(drv):
    """A plan's driver (intree, proj, dom0; intree#2: an A/A run's second
    backend) -> its name in the tables (in-tree, proj, in-tree#2)."""
    base, mark, n = drv.partition("#")
    return PAIR_NAME[base] + mark + n


def bs_kib(bs):
    m = re.fullmatch(r"(\d+)([kKmM]?)", bs)
    n = int(m.group(1))
    return n * 1024 if m.group(2) in ("m", "M") else (n if m.group(2) else n / 1024)


def read_config(d):
    """key=value lines of d/config (or of the file d)."""
    cfg = {}
    with open(d if os.path.isfile(d) else os.path.join(d, "config")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            cfg[k] = v
    return cfg


def disk_index(disk):
    """xvda -> 0, xvdb -> 1, ...; None (lines of one-disk runs) -> 0."""
    m = re.fullmatch(r"xvd([a-z])", disk or "")
    return ord(m.group(1)) - ord("a") if m else 0


def parse_boot(d, b):
    plan = {}
    with open(os.path.join(d, f"boot-{b}.plan")) as f:
        for line in f:
            name, boot, pos, front, back, order, lats, rep = line.split()
            plan[name] = dict(boot=int(boot), pos=int(pos), front=front, back=back,
                              order=order, lats=[int(x) for x in lats.split(",")], rep=rep)
    # Lines name the disk (xvda, ...) since several latencies share one
    # scenario; older runs' lines have no disk (xvda then).
    # Same-domain runs (BENCH_SAME) name each run DISK.REP (xvda.a): their
    # plan lines are "NAME:DISK.REP ...", one per run.
    bench = {}   # (name, disk, rep, job) -> fields
    bstat = {}   # (name, s|e, disk, rep, job) -> cpu line values
    result = {}
    ring = {}    # (name, disk) -> pages
    path = os.path.join(d, f"boot-{b}.e2e")
    lines = open(path, errors="replace").read().splitlines() if os.path.exists(path) else []
    for line in lines:
        m = re.search(r"E2E-(?:DOMU (\S+) BENCH|BENCH0 (\S+)) (?:(xvd[a-z])(?:\.([a-z]))? )?(\S+) ((?:-?[\d.]+ ?){10})\s*$", line)
        if m:
            bench[(m.group(1) or m.group(2), m.group(3) or "xvda", m.group(4) or "", m.group(5))] = m.group(6).split()
            continue
        m = re.search(r"E2E-BSTAT (\S+) ([se]):(?:(xvd[a-z])(?:\.([a-z]))?:)?(\S+) cpu +([\d ]+)$", line)
        if m:
            bstat[(m.group(1), m.group(2), m.group(3) or "xvda", m.group(4) or "", m.group(5))] = \
                [int(x) for x in m.group(6).split()]
            continue
        m = re.search(r"E2E-RESULT (\S+) (PASS|FAIL)", line)
        if m:
            result[m.group(1)] = m.group(2)
            continue
        m = re.search(r"E2E-RING (\S+) (?:(xvd[a-z]): )?pages=(\d+)", line)
        if m:
            ring[(m.group(1), m.group(2) or "xvda")] = m.group(3)
    rows = []
    for (name, disk, rep, job), v in bench.items():
        pname = f"{name}:{disk}.{rep}" if rep else name
        if pname not in plan:
            continue
        p = plan[pname]
        k = disk_index(disk)
        if k >= len(p["lats"]):
            print(f"parse: boot {b}: {name} {disk}: no latency in the plan for it", file=sys.stderr)
            continue
        rw, bs, qd = job.split("-")
        r_iops, r_bw, w_iops, w_bw, r_p99, w_p99, r_kib, w_kib = (float(x) for x in v[:8])
        # busy, total: -1 -1 when the job shared its fio with another
        # disk's (BENCH_PAR): no CPU figures then.
        busy, total = int(v[8]), int(v[9])
        if busy < 0 or total < 0:
            busy = total = None
        ios = (r_kib + w_kib) / bs_kib(bs)
        is_read = "read" in rw
        row = dict(boot=p["boot"], pos=p["pos"], scenario=pname,
                   pair=("dom0" if p["front"] == "dom0" else f"{driver_name(p['front'])} x {driver_name(p['back'])}"),
                   front=p["front"], back=p["back"], order=p["order"],
                   ring_pages=ring.get((name, disk), ""), lat_ns=p["lats"][k], job=job, rw=rw, bs=bs,
                   iodepth=qd, rep=p["rep"], iops=r_iops + w_iops,
                   mib_s=round((r_bw + w_bw) / 1024, 3),
                   p99_us=(r_p99 if is_read else w_p99), ios=int(ios))
        cpu_us = busy * 1e6 / USER_HZ / ios if ios and busy is not None else None
        util = busy / total if total else None
        if p["front"] == "dom0":
            row.update(domU_cpu_us_per_io="", domU_util="",
                       dom0_cpu_us_per_io=_r(cpu_us), dom0_util=_r(util))
        else:
            row.update(domU_cpu_us_per_io=_r(cpu_us), domU_util=_r(util))
            s, e = bstat.get((name, "s", disk, rep, job)), bstat.get((name, "e", disk, rep, job))
            if s and e:
                b0 = sum(e[i] - s[i] for i in (0, 1, 2, 5, 6))
                t0 = sum(e[i] - s[i] for i in range(8))
                row.update(dom0_cpu_us_per_io=_r(b0 * 1e6 / USER_HZ / ios if ios else None),
                           dom0_util=_r(b0 / t0 if t0 else None))
            else:
                row.update(dom0_cpu_us_per_io="", dom0_util="")
        row["result"] = result.get(name, "none")
        rows.append(row)
    return rows


def _r(x):
    return "" if x is None else round(x, 3)


FIELDS = ["run", "boot", "pos", "scenario", "pair", "front", "back", "order", "ring_pages",
          "lat_ns", "job", "rw", "bs", "iodepth", "rep", "iops", "mib_s", "p99_us", "ios",
          "domU_cpu_us_per_io", "domU_util", "dom0_cpu_us_per_io", "dom0_util", "result"]
METRICS = [("iops", "IOPS (= MiB/s ratio)"), ("p99_us", "p99 latency"),
           ("domU_cpu_us_per_io", "domU CPU/IO"), ("dom0_cpu_us_per_io", "dom0 CPU/IO")]


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def per_boot(rows, key, metric):
    """{boot: mean over the boot's repetitions} of one point (key)."""
    acc = {}
    for r in rows:
        if (r["pair"], r["order"], r["lat_ns"], r["job"]) == key:
            v = num(r[metric])
            if v is not None:
                acc.setdefault(r["boot"], []).append(v)
    return {b: statistics.fmean(v) for b, v in acc.items()}


def ratio_stats(rows, num_key, den_key, metric):
    """Per boot: mean of the point's repetitions (A B B A) over the same for
    the reference point; then median over boots and min..max."""
    a, b = per_boot(rows, num_key, metric), per_boot(rows, den_key, metric)
    rs = [a[k] / b[k] for k in sorted(a) if k in b and b[k] > 0]
    if not rs:
        return None
    return statistics.median(rs), min(rs), max(rs), len(rs)


def rep_ratios(rows, num_key, den_key, metric):
    """Each repetition of a point over the mean of the reference point's
    repetitions in the same boot: the spread within boots."""
    den = per_boot(rows, den_key, metric)
    out = []
    for r in rows:
        if (r["pair"], r["order"], r["lat_ns"], r["job"]) == num_key and num(r[metric]) is not None:
            if den.get(r["boot"]):
                out.append(num(r[metric]) / den[r["boot"]])
    return out


def fmt(st):
    if st is None:
        return "-"
    med, lo, hi, n = st
    return f"{med:.2f} [{lo:.2f}..{hi:.2f}]" if n > 1 else f"{med:.2f} [n=1]"


def main(d):
    cfg = read_config(d)
    run = os.path.basename(os.path.normpath(d))
    rows = []
    # A boot counts once complete (boot-N.done); a failed or interrupted
    # one is moved away by run.sh and redone whole.
    plans = sorted(glob.glob(os.path.join(d, "boot-*.plan")))
    # Runs from before boot-N.done: no such file, and a finished= line
    # (written once, after the last boot).
    legacy = not glob.glob(os.path.join(d, "boot-*.done")) and "finished" in cfg
    done = {}
    for plan in plans:
        b = int(re.search(r"boot-(\d+)\.plan", plan).group(1))
        dn = os.path.join(d, f"boot-{b}.done")
        if not legacy and not os.path.exists(dn):
            print(f"parse: boot {b} is not complete: left out", file=sys.stderr)
            continue
        done[b] = read_config(dn) if os.path.exists(dn) else read_config(d)
        rows += parse_boot(d, b)
    rows.sort(key=lambda r: (r["boot"], r["pos"], r["job"]))
    with open(os.path.join(d, "results.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow(dict(r, run=run))

    jobs = cfg.get("jobs", "").split()
    pts = sorted({(r["pair"], r["order"], r["lat_ns"]) for r in rows},
                 key=lambda p: (p[2], int(p[1]) if p[1] != "-" else -1, p[0]))
    # Medians (absolute figures, for the charts and the record).
    with open(os.path.join(d, "medians.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["pair", "order", "lat_ns", "job", "n", "iops", "mib_s", "p99_us",
                     "domU_cpu_us_per_io", "dom0_cpu_us_per_io"])
        for pair, order, lat in pts:
            for job in jobs:
                sel = [r for r in rows if (r["pair"], r["order"], r["lat_ns"], r["job"]) == (pair, order, lat, job)]
                if not sel:
                    continue
                out = [pair, order, lat, job, len(sel)]
                for m in ("iops", "mib_s", "p99_us", "domU_cpu_us_per_io", "dom0_cpu_us_per_io"):
                    vs = [num(r[m]) for r in sel if num(r[m]) is not None]
                    out.append(round(statistics.median(vs), 3) if vs else "")
                w.writerow(out)

    pairs_in = sorted({r["pair"] for r in rows if r["pair"] != "dom0"})
    base = {"ii": "in-tree x in-tree", "ip": "in-tree x proj", "pi": "proj x in-tree",
            "pp": "proj x proj"}.get(cfg.get("base", "ii"), "in-tree x in-tree")
    lats = sorted({r["lat_ns"] for r in rows})
    orders = sorted({r["order"] for r in rows if r["order"] != "-"}, key=int)
    boots = sorted({r["boot"] for r in rows})
    fails = sorted({r["scenario"] for r in rows if r["result"] != "PASS"})
    out = []
    P = out.append
    P(f"bench run {run}: preset {cfg.get('preset')}, tree {cfg.get('tree')}, "
      f"{len(boots)} boot(s), {cfg.get('secs')} s per job, pairs FRONT x BACK")
    P("Each cell: median over boots of the per-boot ratio (each boot's A B B A")
    P("repetitions averaged first), [min..max over boots]. Ratios of QEMU TCG")
    P("figures: only ratios within one run mean anything (bench/README.md).")
    if cfg.get("par") == "1":
        P("BENCH_PAR=1: each job ran on both backends' disks at the same time (one")
        P("fio, a job per disk): no CPU figures.")
    if any("#" in r["back"] for r in rows):
        P("An A/A run: both disks have the same backend (#2: the second one); its")
        P("ratios show how far one backend differs from itself in this rig.")
    for b in sorted(done):
        P(f"boot {b}: tree {done[b].get('tree', '?')}, {done[b].get('started', '?')} .. "
          f"{done[b].get('finished', '?')}")
    mods = set()
    for log in sorted(os.path.join(d, f"boot-{b}.log") for b in done):
        if not os.path.exists(log):
            continue
        for line in open(log, errors="replace"):
            m = re.search(r"project module: (\S+) \(.*sha256 (\w+)\)", line)
            if m and "blk" in m.group(1):
                mods.add(f"{m.group(1)} {m.group(2)}")
    if mods:
        P("project modules (sha256): " + ", ".join(sorted(mods)))
    if fails:
        P(f"scenarios not PASS (their figures are still in the CSV): {' '.join(fails)}")
    for lat in lats:
        P("")
        P(f"=== null_blk latency {lat / 1000:g} us ===")
        for order in orders:
            others = [p for p in pairs_in if p != base and any(
                r["pair"] == p and r["order"] == order and r["lat_ns"] == lat for r in rows)]
            if not others or not any(r["pair"] == base and r["order"] == order and r["lat_ns"] == lat for r in rows):
                continue
            for p in others:
                P("")
                P(f"--- ({p}) / ({base}), order {order}: below 1.00 = lower (IOPS: worse; latency and CPU/IO: better)")
                P(f"{'job':18} " + " ".join(f"{t:>22}" for _, t in METRICS))
                for job in jobs:
                    cells = [fmt(ratio_stats(rows, (p, order, lat, job), (base, order, lat, job), m))
                             for m, _ in METRICS]
                    P(f"{job:18} " + " ".join(f"{c:>22}" for c in cells))
        if any(r["pair"] == "dom0" and r["lat_ns"] == lat for r in rows):
            P("")
            P("--- PV / dom0-native IOPS (the ceiling): pair, order")
            P(f"{'job':18} " + " ".join(f"{code(p) + ' o' + o:>22}" for p in pairs_in for o in orders))
            for job in jobs:
                cells = [fmt(ratio_stats(rows, (p, o, lat, job), ("dom0", "-", lat, job), "iops"))
                         for p in pairs_in for o in orders]
                P(f"{job:18} " + " ".join(f"{c:>22}" for c in cells))
        if len(orders) > 1 and orders[0] == "0":
            P("")
            P("--- order N / order 0 IOPS, per pair")
            cols = [(p, o) for p in pairs_in for o in orders[1:]]
            P(f"{'job':18} " + " ".join(f"{code(p) + ' o' + o:>22}" for p, o in cols))
            for job in jobs:
                cells = [fmt(ratio_stats(rows, (p, o, lat, job), (p, "0", lat, job), "iops")) for p, o in cols]
                P(f"{job:18} " + " ".join(f"{c:>22}" for c in cells))
    with open(os.path.join(d, "ratios.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kind", "pair", "ref", "order", "lat_ns", "job", "metric", "median", "min", "max", "boots"])
        for lat in lats:
            for order in orders:
                for p in pairs_in:
                    for job in jobs:
                        refs = [("vs-base", base, order), ("vs-dom0", "dom0", "-"), ("vs-order0", p, "0")]
                        for kind, ref, ro in refs:
                            if (kind == "vs-base" and p == base) or (kind == "vs-order0" and order == "0"):
                                continue
                            for m, _ in METRICS:
                                if kind != "vs-base" and m != "iops":
                                    continue
                                st = ratio_stats(rows, (p, order, lat, job), (ref, ro, lat, job), m)
                                if st:
                                    w.writerow([kind, p, ref, order, lat, job, m] + [round(x, 4) for x in st[:3]] + [st[3]])
    below = []
    for lat in lats:
        for order in orders:
            for p in pairs_in:
                if p == base:
                    continue
                for job in jobs:
                    st = ratio_stats(rows, (p, order, lat, job), (base, order, lat, job), "iops")
                    if st and st[0] < 1:
                        if st[3] < 2:
                            how = "one boot: no spread over boots"
                        elif st[2] < 1:
                            how = f"below in all {st[3]} boots"
                        else:
                            how = "within the spread (min..max straddles 1)"
                        reps = rep_ratios(rows, (p, order, lat, job), (base, order, lat, job), "iops")
                        below.append(f"  ({p}) / ({base}) order {order}, {lat / 1000:g} us, {job}: "
                                     f"{st[0]:.3f} [{st[1]:.3f}..{st[2]:.3f}], {100 * (1 - st[0]):.1f} % below; {how}; "
                                     f"each repetition / its boot's base: {min(reps):.2f}..{max(reps):.2f}")
    P("")
    if below:
        P("Points where a pair's median IOPS is below the base's:")
        out.extend(below)
    elif any(p != base for p in pairs_in):
        P("No point where a pair's median IOPS is below the base's.")
    P("")
    P("Pairs FRONT x BACK; columns ii, ip, pi, pp: i = in-tree, p = project.")
    P("CPU/IO: CPU time (user+nice+system+irq+softirq from /proc/stat, all the")
    P("domain's CPUs) over the fio job, divided by the I/Os the job completed.")
    text = "\n".join(out) + "\n"
    with open(os.path.join(d, "ratios.txt"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv[1])
