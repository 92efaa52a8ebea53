#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Issue 4 benchmark: the project's xen-blkfront against the in-tree one, with the in-tree xen-blkback,
# interleaved in the same boots. The harness is bench/run.sh (see
# bench/README.md); this is its "blkfront" preset. Settings: BENCH_* variables.
exec "$(dirname "$0")/../run.sh" blkfront "$@"
