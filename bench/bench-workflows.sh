#!/bin/sh
# bench-workflows.sh: what running workflows costs, with the recorder test
# plugin (tests/plugins/recorder/) standing in for real work. Prints the
# machine and one Markdown table to paste into RESULTS.md; asserts nothing.
# Read bench/README.md first.
#
#   1. install of 10,000 independent node templates (bench/gen-blueprint.py
#      --shape independent) whose operations do nothing (recorder.noop):
#      wall time, engine time per operation, peak RSS;
#   2. install of 1,000 instances whose create, configure and start take
#      100 ms each, --parallelism 100: wall time against the ideal
#      (1,000 x 3 x 0.1 s / 100 = 3.0 s: no chain is longer than 0.3 s);
#   3. install of 5,000 instances whose create asks to be retried five
#      times, 0.2 s apart (RETRY): wall time (ideal 1 s), and the worker
#      threads that made calls and the process's peak thread count (at
#      most --parallelism workers, 20, plus the main thread);
#   4. `scale +10` on a deployment of 10,000 instances: the command's wall
#      time (it opens the deployment, plans, records, installs the 10);
#      and on the 10,000-node-template deployment of 1.
#
# usage: sh bench/bench-workflows.sh [--runs N] [--only "1 2 3 4"]
#   --runs N    run each case N times and keep the fastest (default 1)
#   --only L    the cases to run (default all)
# Environment: BUILD (default build); BENCH_DIR (default
# $BUILD/bench-data/workflows), removed at the end.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
BENCH_DIR=${BENCH_DIR:-$BUILD/bench-data/workflows}
runs=1
only="1 2 3 4"

die() { echo "bench-workflows: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--runs) [ $# -ge 2 ] || die "'--runs' needs a number"; runs=$2; shift ;;
	--only) [ $# -ge 2 ] || die "'--only' needs a list"; only=$2; shift ;;
	-h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1'; see '--help'" ;;
	esac
	shift
done

make -s -j2 all "$BUILD/tests/plugins/recorder.so" BUILD="$BUILD" >&2
[ -x /usr/bin/time ] || die "needs /usr/bin/time (Debian package 'time')"
PYTHON=python3
[ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3
B=$(pwd)/$BUILD/blueprint
TYPES=$(pwd)/tests/plugins/recorder/types.yaml
export BLUEPRINT_PLUGIN_PATH="$(pwd)/$BUILD/tests/plugins"
unset RECORDER_LOG
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"
trap 'rm -rf "$BENCH_DIR"' EXIT

# timed NAME CMD...: runs CMD `runs` times in a fresh state directory
# (after the command in $SETUP, untimed, when it is set), keeps the
# fastest run's "wall cpu rss_mb" in $BENCH_DIR/NAME.
timed() {
	_name=$1; shift
	_best=
	_i=0
	while [ "$_i" -lt "$runs" ]; do
		rm -rf "$BENCH_DIR/state"
		[ -z "${SETUP:-}" ] || BLUEPRINT_STATE=$BENCH_DIR/state $SETUP \
			>/dev/null 2>&1 || die "failed: $SETUP"
		BLUEPRINT_STATE=$BENCH_DIR/state /usr/bin/time \
			-f '%e %U %S %M' -o "$BENCH_DIR/time" "$@" >/dev/null 2>&1 ||
			die "failed: $*"
		_line=$(awk '{printf "%.2f %.2f %.0f", $1, $2 + $3, $4 / 1024}' \
			"$BENCH_DIR/time")
		if [ -z "$_best" ] || [ "$(echo "$_line $_best" |
			awk '{print ($1 < $4)}')" = 1 ]; then
			_best=$_line
		fi
		_i=$((_i + 1))
	done
	echo "$_best" >"$BENCH_DIR/$_name"
}

# head of a blueprint that uses the recorder's types
header() {
	printf 'tosca_definitions_version: cloudify_dsl_1_3\nimports:\n'
	printf '  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml\n'
	printf '  - %s\n' "$TYPES"
}

# A node type whose create, configure and start run recorder.call with
# the inputs $1 (YAML flow mapping) and the operation settings $2.
worker_type() {
	cat <<YAML
node_types:
  bench.Worker:
    derived_from: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        create: { implementation: recorder.call, inputs: $1 $2 }
        configure: { implementation: recorder.call, inputs: $3 }
        start: { implementation: recorder.call, inputs: $3 }
YAML
}

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | wall s | cpu s | peak MB | figure |"
echo "|:--|--:|--:|--:|:--|"

case " $only " in *" 1 "*)
	"$PYTHON" bench/gen-blueprint.py --nodes 10000 --shape independent \
		--dialect cloudify --noop recorder.noop -o "$BENCH_DIR/one.yaml"
	timed one "$B" install "$BENCH_DIR/one.yaml"
	set -- $(cat "$BENCH_DIR/one")
	echo "| 1. install 10,000 independent no-op nodes (30,000 operations) | $1 | $2 | $3 | $(echo "$1 $2" | awk '{printf "%.0f us wall, %.0f us cpu per operation", $1 / 30000 * 1e6, $2 / 30000 * 1e6}') |"
esac

case " $only " in *" 2 "*)
	{ header; worker_type "{ sleep_ms: 100 }" "" "{ sleep_ms: 100 }"
	  printf 'node_templates:\n  w:\n    type: bench.Worker\n'
	  printf '    capabilities: { scalable: { properties: { default_instances: 1000 } } }\n'
	} >"$BENCH_DIR/two.yaml"
	timed two "$B" install "$BENCH_DIR/two.yaml" --parallelism 100
	set -- $(cat "$BENCH_DIR/two")
	echo "| 2. install 1,000 instances, 3 ops of 100 ms, --parallelism 100 | $1 | $2 | $3 | $(echo "$1" | awk '{printf "ideal 3.00 s: %+.1f%%", ($1 / 3.0 - 1) * 100}') |"
esac

case " $only " in *" 3 "*)
	{ header; worker_type "{ retry: 5 }" ", retry_interval: 0.2" "{}"
	  printf 'node_templates:\n  r:\n    type: bench.Worker\n'
	  printf '    capabilities: { scalable: { properties: { default_instances: 5000 } } }\n'
	} >"$BENCH_DIR/three.yaml"
	timed three "$B" install "$BENCH_DIR/three.yaml"
	set -- $(cat "$BENCH_DIR/three")
	# again, with the call log and a thread count taken every 20 ms
	rm -rf "$BENCH_DIR/state"
	BLUEPRINT_STATE=$BENCH_DIR/state RECORDER_LOG=$BENCH_DIR/calls.log \
		"$B" install "$BENCH_DIR/three.yaml" >/dev/null 2>&1 &
	pid=$!
	peak=0
	while kill -0 "$pid" 2>/dev/null; do
		n=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
		[ "${n:-0}" -gt "$peak" ] && peak=$n
		sleep 0.02
	done
	wait "$pid"
	workers=$("$PYTHON" tests/tools/reclog.py "$BENCH_DIR/calls.log" threads)
	calls=$("$PYTHON" tests/tools/reclog.py "$BENCH_DIR/calls.log" count op=create)
	echo "| 3. install 5,000 instances, create RETRYs 5 times 0.2 s apart | $1 | $2 | $3 | ideal 1.0 s; $calls create calls on $workers worker threads (parallelism 20); peak $peak threads in the process |"
esac

case " $only " in *" 4 "*)
	{ header; printf 'node_templates:\n  n:\n    type: recorder.nodes.Node\n'
	  printf '    capabilities: { scalable: { properties: { default_instances: 10000 } } }\n'
	} >"$BENCH_DIR/four.yaml"
	SETUP="$B install $BENCH_DIR/four.yaml" timed four "$B" scale n +10
	set -- $(cat "$BENCH_DIR/four")
	echo "| 4. scale +10 of a node with 10,000 instances | $1 | $2 | $3 | the whole command, 10 new instances installed |"
	if [ -f "$BENCH_DIR/one.yaml" ]; then
		SETUP="$B install $BENCH_DIR/one.yaml" timed fourb \
			"$B" scale task_5000 +10
		set -- $(cat "$BENCH_DIR/fourb")
		echo "| 4b. scale +10 of one of 10,000 node templates (case 1's deployment) | $1 | $2 | $3 | most of it loads the 10,000-node blueprint |"
	fi
esac
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
