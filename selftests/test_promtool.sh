#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `promtool check metrics` accepts the exposition with no finding.  The
# rendering comes from the unit runner (tests/test_metrics.c writes one to
# $RG_METRICS_SAMPLE); this script builds nothing: run `make unit` first.
# Exit 0 clean; 1 on any finding, a missing runner or a missing promtool.
set -u

cd "$(dirname "$0")/.." || exit 1
unit=${RG_UNIT_BIN:-build/tests/unit}

if ! command -v promtool >/dev/null 2>&1; then
	echo "test_promtool: SKIP (counted as failure): promtool not found;" \
	     "install Debian's prometheus package (scripts/install-deps.sh does)"
	exit 1
fi
if [ ! -x "$unit" ]; then
	echo "test_promtool: FAIL: $unit not built (make unit)"
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
sample=$tmp/metrics.prom

if ! RG_METRICS_SAMPLE=$sample "$unit" --filter 'metrics/sample' >"$tmp/unit.log" 2>&1 ||
   [ ! -s "$sample" ]; then
	echo "test_promtool: FAIL: $unit did not write a rendering:"
	cat "$tmp/unit.log"
	exit 1
fi

out=$(promtool check metrics <"$sample" 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ -n "$out" ]; then
	echo "test_promtool: FAIL: promtool check metrics exited $rc; expected 0 and no output, got:"
	echo "$out"
	echo "-- exposition ($(wc -l <"$sample") lines), first 40:"
	head -n 40 "$sample"
	exit 1
fi
echo "test_promtool: ok: promtool check metrics: $(grep -c '^# TYPE ' "$sample") families," \
     "$(grep -vc '^#' "$sample") samples, no findings"
