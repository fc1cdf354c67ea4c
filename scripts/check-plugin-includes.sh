#!/bin/sh
# check-plugin-includes.sh: plugins use nothing but the public plugin API.
#
# Every #include in the plugin sources (plugins/*/, tests/plugins/*/ and
# examples/*/, .c and .h) must name blueprint/plugin.h, a header of
# plugins/common, a header beside the source, or a system or library
# header. Never an engine internal: a path that exists under engine/ (other
# than engine/include/blueprint/plugin.h), or one that spells out engine/ or
# climbs out of the plugin tree with "../" (other than ../common/).
# Usage: check-plugin-includes.sh [SOURCE_TOP]   (default: .)
# Prints each offending line as FILE:LINE: ... and exits 1 if there is one.
set -u
top=${1:-.}
cd "$top" || exit 2
status=0
for f in plugins/*/*.[ch] tests/plugins/*/*.[ch] examples/*/*.[ch]; do
	[ -f "$f" ] || continue
	dir=$(dirname "$f")
	grep -n '^[[:space:]]*#[[:space:]]*include' "$f" |
	while IFS= read -r line; do
		n=${line%%:*}
		inc=$(printf '%s\n' "${line#*:}" |
		      sed -n 's/.*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/p')
		case $inc in
		blueprint/plugin.h|common/*|../common/*)
			continue ;;
		*engine/*|../*)
			bad=1 ;;
		*)
			bad=0
			if [ -e "engine/$inc" ] && [ ! -e "$dir/$inc" ]; then
				bad=1
			fi ;;
		esac
		if [ "$bad" = 1 ]; then
			echo "$f:$n: includes '$inc': a plugin may include" \
			     "only blueprint/plugin.h, plugins/common, its" \
			     "own and library headers"
		fi
	done
done | grep . && status=1
exit $status
