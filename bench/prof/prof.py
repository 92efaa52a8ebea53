#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Per-job figures per I/O out of the profiling lines of a rig run.

Usage: prof.py SERIAL_OR_E2E_LOG...

dom0 (E2E-BPROF lines, RIG_DOM0_PROF=bench/prof/dom0-probes): dom0-run.sh
counts at each benchmark mark, so each fio job of each scenario gets, per
I/O completed by the null_blk disks: context switches, interrupts (all;
the backend's event channels, in all and per dom0 vCPU), each dom0 vCPU's
busy and steal time, each backend thread's run and run-queue wait time,
and the hits of each kprobe; and the vCPU each backend thread last ran on.

domU (E2E-PROF lines of bench/prof/domU-prof.sh):
Each domU's samples (1 s apart, ~3 s under TCG) are split into
intervals; an interval is kept when only one kind of I/O ran in it (reads
or writes), and is put in the class (rw, KiB per request) of the fio job:
the jobs of one size and direction (iodepth 1, 32, 128) are pooled.
Usage with the rig: RIG_DOMU_PROF=bench/prof/domU-prof.sh bench/run.sh ...
(the sampler costs the domU CPU: only the counts per I/O mean anything).
For each class: IOPS and, per completed I/O, interrupts, context switches,
CPU jiffies and every kprobe's hits.
"""
import re
import sys
from collections import defaultdict


def parse(path):
    runs, cur, names = [], None, {}
    for line in open(path, errors='replace'):
        i = line.find('E2E-PROF')
        if i < 0:
            continue
        f = line[i:].split()
        if len(f) > 1 and f[1].startswith('probes'):
            names = dict(x.split('=', 1) for x in f[2:])
            cur = []
            runs.append((names, cur))
        elif len(f) > 2 and f[1] == 's' and cur is not None:
            d = {'t': float(f[2])}
            for x in f[3:]:
                k, _, v = x.partition('=')
                if k == 'cpu':
                    d['cpu'] = [int(c) for c in v.split(',')]
                elif k == 'kp':
                    d['kp'] = {}
                    for y in v.split(','):
                        if '=' in y:
                            a, b = y.split('=')
                            d['kp'][names.get(a, a)] = int(b)
                elif v.isdigit():
                    d[k] = int(v)
            cur.append(d)
    return runs


def dom0(path):
    """E2E-BPROF lines: {scenario: (probe names, {mark: counts})}."""
    scen = {}
    for line in open(path, errors='replace'):
        i = line.find('E2E-BPROF ')
        if i < 0:
            continue
        f = line[i:].split()
        if len(f) < 3:
            continue
        name = f[1]
        if f[2].startswith('probes'):
            scen[name] = (dict(x.split('=', 1) for x in f[3:]), {})
            continue
        if name not in scen:
            continue
        names, marks = scen[name]
        d = {}
        for x in f[3:]:
            k, _, v = x.partition('=')
            if k == 'kp':
                for y in v.split(','):
                    a, _, b = y.partition('=')
                    if b.isdigit():
                        d[names.get(a, a)] = int(b)
            elif k == 'on':
                d['_on'] = v
            elif v.isdigit():
                d[k] = int(v)
        marks[f[2]] = d
    return scen


def dom0_report(path):
    scen = dom0(path)
    jobs = {}
    for name, (_, marks) in scen.items():
        for m, e in marks.items():
            if not m.startswith('e:') or 's:' + m[2:] not in marks:
                continue
            b = marks['s:' + m[2:]]
            n = e.get('ios', 0) - b.get('ios', 0)
            if n <= 0:
                continue
            row = {k: (e[k] - b.get(k, 0)) / n for k in e
                   if k != 'ios' and not k.startswith('_')}
            jobs.setdefault(m[2:], []).append((name, n, row, e.get('_on')))
    if not jobs:
        return False
    print(f'== {path}: dom0, per I/O completed by null_blk')
    for job in sorted(jobs):
        print(f'  {job}')
        keys = []
        for _, _, row, _ in jobs[job]:
            keys += [k for k in row if k not in keys]
        for name, n, row, on in sorted(jobs[job], key=lambda j: j[:2]):
            print(f'    {name:14s} ios {n:7d} ' +
                  ' '.join(f'{k}={row[k]:.3f}' for k in keys
                           if k in row and row[k]))
            if on:
                print(f'      backend threads last ran on (thread@vCPU): {on}')
    return True


def main():
    for path in sys.argv[1:]:
        dom0_report(path)
        for ri, (names, s) in enumerate(parse(path)):
            drv = 'project' if 'blkfront_queue_rq' in names.values() else 'in-tree'
            acc = defaultdict(lambda: defaultdict(float))
            for a, b in zip(s, s[1:]):
                dr, dw = b['rd'] - a['rd'], b['wr'] - a['wr']
                if (dr > 0) == (dw > 0):
                    continue
                n = dr or dw
                sect = (b['rs'] - a['rs']) if dr else (b['ws'] - a['ws'])
                kib = round(sect / n / 2)
                cls = ('read' if dr else 'write', kib)
                c = acc[cls]
                c['dt'] += b['t'] - a['t']
                c['ios'] += n
                c['irq'] += b['irq'] - a['irq']
                c['ctxt'] += b['ctxt'] - a['ctxt']
                ca, cb = a['cpu'], b['cpu']
                c['busy'] += sum(cb[i] - ca[i] for i in (0, 1, 2, 5, 6))
                c['sys'] += cb[2] - ca[2]
                c['hirq'] += cb[5] - ca[5]
                c['soft'] += cb[6] - ca[6]
                c['usr'] += cb[0] - ca[0]
                for k in b.get('kp', {}):
                    c['kp:' + k] += b['kp'][k] - a['kp'].get(k, 0)
            print(f'== {path} run {ri}: {drv} frontend')
            for cls in sorted(acc):
                c = acc[cls]
                if c['dt'] < 0.9:
                    continue
                n = c['ios']
                print(f'  {cls[0]:5s} {cls[1]:5d}KiB: {c["dt"]:4.1f}s '
                      f'{n / c["dt"]:8.0f} IOPS; per I/O: irq {c["irq"] / n:.3f} '
                      f'ctxt {c["ctxt"] / n:.3f} busy_us {c["busy"] * 1e4 / n:.1f} '
                      f'(usr {c["usr"] * 1e4 / n:.1f} sys {c["sys"] * 1e4 / n:.1f} '
                      f'irq {c["hirq"] * 1e4 / n:.1f} soft {c["soft"] * 1e4 / n:.1f})')
                kps = sorted(k for k in c if k.startswith('kp:'))
                print('      ' + ' '.join(f'{k[3:]}={c[k] / n:.3f}' for k in kps if c[k]))


main()
