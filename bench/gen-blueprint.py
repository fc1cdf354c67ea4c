#!/usr/bin/env python3
"""gen-blueprint.py: writes a synthetic blueprint with N node templates for
the benchmarks in bench/.

A shape is first built as a dialect-free graph (nodes with a kind, a host,
dependencies and connections), then written out as TOSCA Simple Profile
(normative tosca.* types, accepted by tosca-parser 2.6 at version 1_2) or as
Cloudify DSL (cloudify.nodes.* types).  The same arguments and seed always
give the same bytes.  Python 3 standard library only.

Shapes:
  chain        each node depends on the previous one (a Compute every
               10 nodes hosts the software components that follow it)
  fanout       one hub; the other N-1 nodes depend on it
  containment  hosted_on / contained_in chains DEPTH deep, repeated
  connected    each software component connects to LINKS earlier nodes,
               picked at random (seeded)
  mixed        a quarter of each of the four shapes above
  independent  N unrelated nodes whose lifecycle operations are all the
               no-op plugin operation 'bench.noop' (workflow benchmarks)
"""

import argparse
import random
import sys

SHAPES = ("chain", "fanout", "containment", "connected", "mixed",
          "independent")
DIALECTS = ("tosca", "cloudify")
DEFAULT_VERSION = {"tosca": "tosca_simple_yaml_1_2",
                   "cloudify": "cloudify_dsl_1_4"}
CLOUDIFY_TYPES = "http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml"
LIFECYCLE = ("create", "configure", "start", "stop", "delete")
TIERS = ("web", "app", "db", "cache")
COMPUTE_EVERY = 10          # chain/connected: one Compute per 10 nodes
OUTPUT_EVERY = 100          # one output per 100 nodes (plus the last node)


class Node:
    """One node template of the abstract graph."""

    __slots__ = ("name", "kind", "index", "host", "deps", "conns")

    def __init__(self, name, kind, index):
        self.name = name      # template name
        self.kind = kind      # "compute", "app" or "noop"
        self.index = index    # position in the file, drives property values
        self.host = None      # name of the node this one is hosted on
        self.deps = []        # names this node depends on
        self.conns = []       # names this node connects to


class Graph:
    """Nodes in file order; new() names and appends one."""

    def __init__(self):
        self.nodes = []

    def new(self, prefix, kind):
        stem = {"compute": "vm", "app": "app", "noop": "task"}[kind]
        node = Node("%s%s_%d" % (prefix, stem, len(self.nodes)), kind,
                    len(self.nodes))
        self.nodes.append(node)
        return node


# --- shapes: each adds n nodes to the graph -------------------------------

def shape_chain(g, n, prefix, args, rng):
    prev = host = None
    for i in range(n):
        node = g.new(prefix, "compute" if i % COMPUTE_EVERY == 0 else "app")
        if node.kind == "compute":
            host = node
        else:
            node.host = host.name
        if prev is not None and prev is not host:
            node.deps.append(prev.name)
        prev = node


def shape_fanout(g, n, prefix, args, rng):
    hub = g.new(prefix, "compute")
    vm = None
    for i in range(1, n):
        # leaves alternate: a Compute, then a component hosted on it
        if i % 2 == 1:
            vm = node = g.new(prefix, "compute")
        else:
            node = g.new(prefix, "app")
            node.host = vm.name
        node.deps.append(hub.name)


def shape_containment(g, n, prefix, args, rng):
    below = None
    for i in range(n):
        if i % args.depth == 0:
            below = g.new(prefix, "compute")
        else:
            node = g.new(prefix, "app")
            node.host = below.name
            below = node


def shape_connected(g, n, prefix, args, rng):
    first = len(g.nodes)
    host = None
    for i in range(n):
        node = g.new(prefix, "compute" if i % COMPUTE_EVERY == 0 else "app")
        if node.kind == "compute":
            host = node
            continue
        node.host = host.name
        # earlier nodes of this shape, except the own host
        pool = [j for j in rng.sample(range(first, node.index),
                                      min(args.links + 1, node.index - first))
                if g.nodes[j] is not host][:args.links]
        node.conns = [g.nodes[j].name for j in sorted(pool)]


def shape_mixed(g, n, prefix, args, rng):
    parts = ("chain", "fanout", "containment", "connected")
    for k, part in enumerate(parts):
        size = n // len(parts) + (1 if k < n % len(parts) else 0)
        if size:
            SHAPE_FN[part](g, size, "%s%s_" % (prefix, part[:4]), args, rng)


def shape_independent(g, n, prefix, args, rng):
    for _ in range(n):
        g.new(prefix, "noop")


SHAPE_FN = {"chain": shape_chain, "fanout": shape_fanout,
            "containment": shape_containment, "connected": shape_connected,
            "mixed": shape_mixed, "independent": shape_independent}


def outputs_of(g):
    """The nodes that get an output: every OUTPUT_EVERY-th and the last."""
    picked = g.nodes[::OUTPUT_EVERY]
    if g.nodes and g.nodes[-1] is not picked[-1]:
        picked.append(g.nodes[-1])
    return picked


def label_value(node):
    """A concat of an input, the node's own property and its name."""
    return ("{ concat: [ { get_input: env_name }, \"-\", "
            "{ get_property: [ SELF, tier ] }, \"-%s\" ] }" % node.name)


def indent(text, n):
    """text with n spaces in front of every non-empty line."""
    pad = " " * n
    return "".join(pad + line if line.strip() else line
                   for line in text.splitlines(True))


def noop_type(base, interface, interface_type, noop):
    """bench.nodes.Noop, whose lifecycle operations all run `noop`
    (PLUGIN.OPERATION, 'bench.noop' by default)."""
    return ("\n  bench.nodes.Noop:\n"
            "    derived_from: %s\n"
            "    interfaces:\n"
            "      %s:\n%s" % (base, interface, interface_type)
            + "".join("        %s: %s\n" % (op, noop) for op in LIFECYCLE))


# --- what both dialects share ------------------------------------------------

INPUTS = """\
inputs:
  env_name:
    type: string
    default: bench
  cpus:
    type: integer
    default: 2
    constraints:
      - in_range: [ 1, 64 ]
  max_connections:
    type: integer
    default: 1024
    constraints:
      - in_range: [ 1, 65535 ]
"""

# bench.datatypes.Limits opens with this property in both dialects; %s is
# the TOSCA derived_from line
LIMITS_HEAD = """\
data_types:
  bench.datatypes.Limits:
%s    properties:
      max_connections:
        type: integer
        constraints:
          - in_range: [ 1, 65535 ]
"""

# bench.nodes.App's properties common to both dialects
APP_PROPERTIES = """\
    properties:
      port:
        type: integer
        constraints:
          - in_range: [ 1, 65535 ]
      tier:
        type: string
        constraints:
          - valid_values: [ web, app, db, cache ]
      label:
        type: string
      limits:
        type: bench.datatypes.Limits
"""


def write_blueprint(out, g, args, what, d):
    """Append the whole file to out, in dialect d (TOSCA or CLOUDIFY)."""
    out.append("tosca_definitions_version: %s\n\n" % args.version)
    out.append("description: >-\n  %s\n\n" % what)
    out.append(d["head"])
    if args.shape == "independent":
        out.append(d["noop"](args.noop))
    out.append("\n" + d["section"])
    depth = d["depth"]
    out.append(indent(INPUTS + d["inputs"], depth))
    out.append("\n" + indent("node_templates:\n", depth))
    for node in g.nodes:
        out.append(indent("%s:\n" % node.name, depth + 2))
        out.append(indent(d["body"][node.kind](node), depth + 4))
        relations = [("host", node.host)] if node.host else []
        relations += [("dependency", t) for t in node.deps]
        relations += [("connection", t) for t in node.conns]
        if relations:
            out.append(indent(d["relations"] + ":\n", depth + 4))
            out.append("".join(indent(d["relation"](*r), depth + 6)
                               for r in relations))
    out.append("\n" + indent("outputs:\n", depth))
    for node in outputs_of(g):
        attr = d["output_attr"][node.kind]
        out.append(indent("%s_%s:\n"
                          "  value: { get_attribute: [ %s, %s ] }\n"
                          % (node.name, attr, node.name, attr), depth + 2))


# --- TOSCA ---------------------------------------------------------------------

def tosca_compute(node):
    return ("type: tosca.nodes.Compute\n"
            "capabilities:\n"
            "  host:\n"
            "    properties:\n"
            "      num_cpus: { get_input: cpus }\n"
            "      mem_size: { get_input: mem }\n"
            "      disk_size: %d GB\n"
            "  os:\n"
            "    properties:\n"
            "      type: linux\n"
            "      distribution: debian\n"
            "      version: \"12.0\"\n" % (10 + node.index % 90))


def tosca_app(node):
    i = node.index
    return ("type: bench.nodes.App\n"
            "properties:\n"
            "  component_version: \"1.%d\"\n"
            "  port: %d\n"
            "  tier: %s\n"
            "  label: %s\n"
            "  limits:\n"
            "    max_connections: %d\n"
            "    timeout: %d s\n"
            "    ratio: 0.%d\n"
            "  cache_size: %d MB\n"
            % (i % 10, 1024 + i % 60000, TIERS[i % len(TIERS)],
               label_value(node), 1 + i % 65535, 1 + i % 600, i % 10,
               64 << (i % 4)))


TOSCA = {
    "head": LIMITS_HEAD % "    derived_from: tosca.datatypes.Root\n" + """\
      timeout:
        type: scalar-unit.time
        default: 30 s
        constraints:
          - in_range: [ 1 s, 1 h ]
      ratio:
        type: float
        required: false
        constraints:
          - greater_or_equal: 0.0
          - less_or_equal: 1.0

node_types:
  bench.nodes.App:
    derived_from: tosca.nodes.SoftwareComponent
""" + APP_PROPERTIES + """\
      cache_size:
        type: scalar-unit.size
        default: 64 MB
        constraints:
          - in_range: [ 1 MB, 16 GB ]
    attributes:
      url:
        type: string
    requirements:
      - host:
          capability: tosca.capabilities.Container
          relationship: tosca.relationships.HostedOn
      - connection:
          capability: tosca.capabilities.Endpoint
          relationship: tosca.relationships.ConnectsTo
          occurrences: [ 0, UNBOUNDED ]
    capabilities:
      container:
        type: tosca.capabilities.Container
      endpoint:
        type: tosca.capabilities.Endpoint
""",
    "noop": lambda noop: noop_type(
        "tosca.nodes.Root", "Standard", "        type: "
        "tosca.interfaces.node.lifecycle.Standard\n", noop),
    "section": "topology_template:\n",
    "depth": 2,
    "inputs": """\
  mem:
    type: scalar-unit.size
    default: 4 GB
""",
    "body": {"compute": tosca_compute, "app": tosca_app,
             "noop": lambda node: "type: bench.nodes.Noop\n"},
    "relations": "requirements",
    "relation": lambda role, target: "- %s: %s\n" % (role, target),
    "output_attr": {"compute": "private_address", "app": "url",
                    "noop": "state"},
}


# --- Cloudify --------------------------------------------------------------------

def cloudify_compute(node):
    i = node.index
    return ("type: cloudify.nodes.Compute\n"
            "properties:\n"
            "  ip: 10.%d.%d.%d\n"
            "  agent_config:\n"
            "    install_method: none\n" % (i >> 16 & 255, i >> 8 & 255,
                                            i & 255))


def cloudify_app(node):
    i = node.index
    return ("type: bench.nodes.App\n"
            "properties:\n"
            "  port: %d\n"
            "  tier: %s\n"
            "  label: %s\n"
            "  limits:\n"
            "    max_connections: { get_input: max_connections }\n"
            "    timeout: %d\n"
            "    ratio: 0.%d\n"
            % (1024 + i % 60000, TIERS[i % len(TIERS)], label_value(node),
               1 + i % 600, i % 10))


CLOUDIFY_RELATIONSHIP = {"host": "contained_in", "dependency": "depends_on",
                         "connection": "connected_to"}

CLOUDIFY = {
    "head": "imports:\n  - %s\n\n" % CLOUDIFY_TYPES + LIMITS_HEAD % "" + """\
      timeout:
        type: integer
        default: 30
        constraints:
          - in_range: [ 1, 3600 ]
      ratio:
        type: float
        required: false

node_types:
  bench.nodes.App:
    derived_from: cloudify.nodes.SoftwareComponent
""" + APP_PROPERTIES,
    # the no-op plugin and the type whose lifecycle runs it
    "noop": lambda noop: noop_type(
        "cloudify.nodes.Root", "cloudify.interfaces.lifecycle", "", noop)
        + """
plugins:
  %s:
    executor: central_deployment_agent
    install: false
""" % noop.split(".")[0],
    "section": "",
    "depth": 0,
    "inputs": "",
    "body": {"compute": cloudify_compute, "app": cloudify_app,
             "noop": lambda node: "type: bench.nodes.Noop\n"},
    "relations": "relationships",
    "relation": lambda role, target: (
        "- type: cloudify.relationships.%s\n"
        "  target: %s\n" % (CLOUDIFY_RELATIONSHIP[role], target)),
    "output_attr": {"compute": "ip", "app": "url", "noop": "state"},
}


# --- command line ----------------------------------------------------------

def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("expected a positive integer, "
                                         "got '%s'" % text)
    return value


def main(argv):
    p = argparse.ArgumentParser(
        description="Write a synthetic blueprint with N node templates.")
    p.add_argument("--nodes", type=positive, required=True,
                   help="number of node templates")
    p.add_argument("--shape", choices=SHAPES, default="mixed")
    p.add_argument("--dialect", choices=DIALECTS, default="tosca")
    p.add_argument("--version",
                   help="tosca_definitions_version (default: "
                        "tosca_simple_yaml_1_2 or cloudify_dsl_1_4)")
    p.add_argument("--seed", type=int, default=1,
                   help="random seed for the connected shape (default 1)")
    p.add_argument("--depth", type=positive, default=50,
                   help="containment chain depth (default 50)")
    p.add_argument("--links", type=positive, default=5,
                   help="connections per node in 'connected' (default 5)")
    p.add_argument("--noop", default="bench.noop",
                   help="the operation (PLUGIN.OPERATION) every lifecycle "
                        "operation of the independent shape runs (default "
                        "bench.noop; the workflow benchmarks use the "
                        "recorder test plugin's recorder.noop)")
    p.add_argument("-o", "--output", default="-",
                   help="file to write, '-' for standard output")
    args = p.parse_args(argv)
    if args.version is None:
        args.version = DEFAULT_VERSION[args.dialect]

    g = Graph()
    SHAPE_FN[args.shape](g, args.nodes, "", args, random.Random(args.seed))
    what = ("Generated by bench/gen-blueprint.py: %d node templates, "
            "shape %s, seed %d." % (len(g.nodes), args.shape, args.seed))
    out = []
    write_blueprint(out, g, args, what,
                    TOSCA if args.dialect == "tosca" else CLOUDIFY)
    text = "".join(out)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
