#!/bin/sh
# t8400-graph-names.sh: `blueprint graph` escapes node names, which may be
# any YAML key: quotes and backslashes in dot strings, quotes, markup,
# '|' and '#' as Mermaid entity codes, line breaks as line breaks.
. "$(dirname "$0")/../lib/tap.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/odd.yaml" <<'YAML'
tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  node_templates:
    'say "hi"':
      type: tosca.nodes.Compute
    'back\slash <b>&amp; | #1':
      type: tosca.nodes.SoftwareComponent
      requirements:
        - host: 'say "hi"'
    "two\nlines":
      type: tosca.nodes.SoftwareComponent
      requirements:
        - host: 'say "hi"'
YAML

# has TEXT: $out holds the line TEXT exactly
has() { printf '%s\n' "$out" | grep -qxF -- "$1"; }

if expect_exit 0 "$BLUEPRINT" graph "$dir/odd.yaml" &&
   has '  "say \"hi\"" [label="say \"hi\"\ntosca.nodes.Compute"];' &&
   has '  "back\\slash <b>&amp; | #1" -> "say \"hi\"" [label="HostedOn", style=bold];' &&
   has '  "two\nlines" -> "say \"hi\"" [label="HostedOn", style=bold];'; then
	ok "dot: quotes, backslashes and line breaks escaped"
else
	not_ok "dot: quotes, backslashes and line breaks escaped"; diag "$out"
fi
# every line of the dot output has an even number of unescaped quotes
if printf '%s\n' "$out" | sed 's/\\\\//g; s/\\"//g' | tr -cd '"\n' |
   awk 'length($0) % 2 { bad = 1 } END { exit bad }'; then
	ok "dot: every string is closed"
else
	not_ok "dot: every string is closed"; diag "$out"
fi

if expect_exit 0 "$BLUEPRINT" graph --format mermaid "$dir/odd.yaml" &&
   has '  n0["say #quot;hi#quot;<br/>tosca.nodes.Compute"]' &&
   has '  n1["back\slash #lt;b#gt;#amp;amp; #124; #35;1<br/>tosca.nodes.SoftwareComponent"]' &&
   has '  n2["two<br/>lines<br/>tosca.nodes.SoftwareComponent"]' &&
   has '  n1 ==>|"HostedOn"| n0'; then
	ok "mermaid: names as entity-coded labels"
else
	not_ok "mermaid: names as entity-coded labels"; diag "$out"
fi

if expect_exit 0 "$BLUEPRINT" graph --format json "$dir/odd.yaml" &&
   printf '%s\n' "$out" | grep -qF '"name": "two\nlines"'; then
	ok "json: names as JSON strings"
else
	not_ok "json: names as JSON strings"; diag "$out"
fi
done_testing
