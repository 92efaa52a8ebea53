#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Issue 3 benchmark: the project's xen-blkback against the in-tree one, with the in-tree xen-blkfront,
# interleaved in the same boots. The harness is bench/run.sh (see
# bench/README.md); this is its "blkback" preset. Settings: BENCH_* variables.
exec "$(dirname "$0")/../run.sh" blkback "$@"
