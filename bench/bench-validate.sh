#!/bin/sh
# bench-validate.sh: times 'blueprint validate' on generated blueprints of
# 1,000, 10,000 and 100,000 node templates (every shape, both dialects) and
# runs the same TOSCA files through Debian's python3-tosca-parser for
# comparison. Prints a Markdown table: seconds and peak RSS of each side and
# how many times faster blueprint is. Read bench/README.md first.
#
# usage: sh bench/bench-validate.sh [--full] [--sizes "N ..."]
#            [--shapes "S ..."] [--dialects "D ..."] [--no-tosca-parser]
#            [--keep]
#
#   --full              also run tosca-parser at 100,000 nodes (minutes)
#   --sizes LIST        node counts (default "1000 10000 100000")
#   --shapes LIST       default "chain fanout containment connected mixed"
#   --dialects LIST     default "tosca cloudify"
#   --no-tosca-parser   time blueprint only
#   --keep              keep the generated files in $BENCH_DIR
#
# Environment: BUILD (default build); SHARED, where tosca-parser-data/ is
# (default ../shared, or from a git worktree the one beside the main
# checkout); BENCH_DIR (default $BUILD/bench-data); TP_MAX, the largest N
# given to tosca-parser (default 10000; --full sets 100000).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
# ../shared sits beside the main checkout; a git worktree finds it there too
if [ -z "${SHARED:-}" ]; then
	SHARED=../shared
	common=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null) &&
	[ ! -d "$SHARED" ] && SHARED=$(dirname "$common")/../shared
fi
BENCH_DIR=${BENCH_DIR:-$BUILD/bench-data}
TP_MAX=${TP_MAX:-10000}
sizes="1000 10000 100000"
shapes="chain fanout containment connected mixed"
dialects="tosca cloudify"
tosca_parser=yes
keep=no

die() { echo "bench-validate: $*" >&2; exit 2; }
note() { echo "bench-validate: $*" >&2; }

while [ $# -gt 0 ]; do
	case $1 in
	--full) TP_MAX=100000 ;;
	--sizes) [ $# -ge 2 ] || die "'--sizes' needs a list"; sizes=$2; shift ;;
	--shapes) [ $# -ge 2 ] || die "'--shapes' needs a list"; shapes=$2; shift ;;
	--dialects) [ $# -ge 2 ] || die "'--dialects' needs a list"; dialects=$2; shift ;;
	--no-tosca-parser) tosca_parser=no ;;
	--keep) keep=yes ;;
	-h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1'; see '--help'" ;;
	esac
	shift
done

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi

# apt_install PKG: install a Debian package, refreshing the lists if needed.
apt_install() {
	note "installing $1"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$1" >&2 ||
	{ $SUDO apt-get update -qq >&2 &&
	  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$1" >&2; }
}

# --- what we measure with ---------------------------------------------------
make -j2 all BUILD="$BUILD" >&2 || die "the build failed"
[ -x /usr/bin/time ] || apt_install time || die "cannot install 'time'"

bin=$BUILD/blueprint
if "$bin" help 2>/dev/null | grep -q '^ *validate '; then
	have_validate=yes
else
	have_validate=no
	note "blueprint validate not available ('$bin help' does not list it)"
fi

# Debian's tosca-parser runs under Debian's python, whatever is first on PATH.
PY=/usr/bin/python3
TP_DIR=/usr/lib/python3/dist-packages/toscaparser
# tosca-parser-data file -> directory under $TP_DIR it belongs in
TP_DATA="TOSCA_definition_1_0.yaml:elements
TOSCA_nfv_definition_1_0_0.yaml:extensions/nfv
TOSCA_mec_definition_1_0_0.yaml:extensions/mec"

setup_tosca_parser() {
	[ -d "$TP_DIR" ] || apt_install python3-tosca-parser ||
		{ note "cannot install python3-tosca-parser"; return 1; }
	for pair in $TP_DATA; do
		file=${pair%%:*} dir=$TP_DIR/${pair#*:}
		[ -f "$dir/$file" ] && continue
		src=$SHARED/tosca-parser-data/$file
		[ -f "$src" ] || { note "'$src' not found: set SHARED to the" \
			"directory holding tosca-parser-data/"; return 1; }
		$SUDO cp "$src" "$dir/$file" || return 1
	done
	"$PY" -c 'import toscaparser.tosca_template' 2>/dev/null ||
		{ note "tosca-parser does not import under $PY"; return 1; }
}

if [ "$tosca_parser" = yes ] && ! setup_tosca_parser; then
	note "tosca-parser comparison skipped"
	tosca_parser=no
fi

# measure OUT LOG CMD...: run CMD under /usr/bin/time, stdout+stderr to LOG;
# sets OUT to "SECONDS CPU-SECONDS MB", or to "FAIL(rc) - -" when CMD exits
# non-zero.
measure() {
	_var=$1 _log=$2; shift 2
	if /usr/bin/time -f '%e %M %U %S' -o "$BENCH_DIR/time" "$@" \
	   >"$_log" 2>&1; then
		_r=$(awk '{ printf "%.2f %.2f %.1f", $1, $3 + $4, $2 / 1024 }' \
			"$BENCH_DIR/time")
	else
		_r="FAIL($?) - -"
	fi
	eval "$_var=\$_r"
}

# --- the table --------------------------------------------------------------
mkdir -p "$BENCH_DIR"
failures=""
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); nproc: $(nproc); cpu: $cpu; memory: $mem"
echo "blueprint: $(git -C "$top" describe --always --dirty 2>/dev/null || echo '?')"
echo
row='| %7s | %-11s | %-8s | %11s | %6s | %6s | %14s | %6s | %6s | %7s |\n'
# shellcheck disable=SC2059 # the format is in $row
printf "$row" N shape dialect "blueprint s" "cpu s" MB "tosca-parser s" \
	"cpu s" MB speedup
echo '|--------:|:------------|:---------|------------:|-------:|-------:|---------------:|-------:|-------:|--------:|'

for n in $sizes; do
	for shape in $shapes; do
		for dialect in $dialects; do
			f=$BENCH_DIR/$shape-$n-$dialect.yaml
			python3 bench/gen-blueprint.py --nodes "$n" --shape "$shape" \
				--dialect "$dialect" -o "$f" || die "cannot generate '$f'"
			ours="- - -" theirs="- - -"
			if [ "$have_validate" = yes ]; then
				measure ours "$f.bp.log" "$bin" validate "$f"
				case $ours in FAIL*) failures="$failures $f.bp.log" ;; esac
			fi
			if [ "$tosca_parser" = yes ] && [ "$dialect" = tosca ] &&
			   [ "$n" -le "$TP_MAX" ]; then
				measure theirs "$f.tp.log" "$PY" -c \
				'import sys
from toscaparser.tosca_template import ToscaTemplate
ToscaTemplate(sys.argv[1])' "$f"
				case $theirs in FAIL*) failures="$failures $f.tp.log" ;; esac
			fi
			# shellcheck disable=SC2086 # split "SECONDS CPU MB"
			set -- $ours $theirs
			ratio=$(awk -v a="$1" -v b="$4" 'BEGIN {
				if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) print "-"
				else if (a + 0 < 0.01) printf ">%.0fx", b / 0.01
				else printf "%.0fx", b / a }')
			# shellcheck disable=SC2059 # the format is in $row
			printf "$row" "$n" "$shape" "$dialect" "$@" "$ratio"
			[ "$keep" = yes ] || rm -f "$f"
		done
	done
done

[ "$have_validate" = yes ] ||
	echo "
blueprint validate not available: the blueprint columns are empty."
status=0
for log in $failures; do
	echo
	echo "FAILED: $log (--keep keeps the blueprint beside it)"
	tail -n 15 "$log" | sed 's/^/    /'
	status=1
done
exit $status
