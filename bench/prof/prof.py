#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Per-job figures per I/O out of the E2E-PROF lines of bench/prof/domU-prof.sh.

Usage: prof.py SERIAL_OR_E2E_LOG...

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


def main():
    for path in sys.argv[1:]:
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
