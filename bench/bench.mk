# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmarks (bench/README.md): fio in a PV domU of the Xen rig, over
# null_blk in dom0, for driver pairs x ring orders x backend latencies, in
# interleaved boots. Never a test: figures and ratios, no pass/fail.
#
#   make bench                      issues 3 and 4 (~25 min of rig time)
#   make bench BENCH=blkback        one preset: issues34 blkback blkfront sweep tiny
#   make bench BENCH=sweep BENCH_BOOTS=1 BENCH_LATS="0 20000000"
#   make bench BENCH=sweep BENCH_RUN=sweep-2 BENCH_RUN_BOOTS=1
#                                   make or resume a run, one more boot of it
#   make bench-dry BENCH=sweep      scenario lists, rig time per boot
#   make bench-parse RUN=bench/results/<run>   redo CSV, ratios, charts
#
# BENCH_PAIRS, BENCH_BASE, BENCH_ORDERS, BENCH_LATS, BENCH_JOBS,
# BENCH_SECS, BENCH_BOOTS, BENCH_NATIVE, BENCH_REPS override the preset;
# BENCH_RUN, BENCH_RUN_BOOTS pick the run and how many of its boots to
# run now (bench/run.sh, bench/README.md).

BENCH ?= issues34
# (Variables given on make's command line reach bench/run.sh's environment.)

.PHONY: bench bench-dry bench-parse bench-blkback bench-blkfront bench-sweep

# run.sh builds the modules itself; the rig installs what it needs (deps).
bench: deps
	bench/run.sh $(BENCH)

bench-blkback bench-blkfront bench-sweep: deps
	bench/run.sh $(patsubst bench-%,%,$@)

bench-dry:
	bench/run.sh --dry-run $(BENCH)

bench-parse:
	@test -n "$(RUN)" || { echo "usage: make bench-parse RUN=bench/results/<run>" >&2; exit 1; }
	bench/run.sh --parse $(RUN)
