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


# --- TOSCA -----------------------------------------------------------------

TOSCA_HEAD = """\
data_types:
  bench.datatypes.Limits:
    derived_from: tosca.datatypes.Root
    properties:
      max_connections:
        type: integer
        constraints:
          - in_range: [ 1, 65535 ]
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
"""

TOSCA_NOOP_TYPE = """\

  bench.nodes.Noop:
    derived_from: tosca.nodes.Root
    interfaces:
      Standard:
        type: tosca.interfaces.node.lifecycle.Standard
%s""" % "".join("        %s: bench.noop\n" % op for op in LIFECYCLE)

TOSCA_INPUTS = """\
  inputs:
    env_name:
      type: string
      default: bench
    cpus:
      type: integer
      default: 2
      constraints:
        - in_range: [ 1, 64 ]
    mem:
      type: scalar-unit.size
      default: 4 GB
    max_connections:
      type: integer
      default: 1024
      constraints:
        - in_range: [ 1, 65535 ]
"""


def tosca_node(out, node, g):
    w = out.append
    w("    %s:\n" % node.name)
    if node.kind == "noop":
        w("      type: bench.nodes.Noop\n")
        return
    if node.kind == "compute":
        w("      type: tosca.nodes.Compute\n"
          "      capabilities:\n"
          "        host:\n"
          "          properties:\n"
          "            num_cpus: { get_input: cpus }\n"
          "            mem_size: { get_input: mem }\n"
          "            disk_size: %d GB\n"
          "        os:\n"
          "          properties:\n"
          "            type: linux\n"
          "            distribution: debian\n"
          "            version: \"12.0\"\n" % (10 + node.index % 90))
    else:
        w("      type: bench.nodes.App\n"
          "      properties:\n"
          "        component_version: \"1.%d\"\n"
          "        port: %d\n"
          "        tier: %s\n"
          "        label: %s\n"
          "        limits:\n"
          "          max_connections: %d\n"
          "          timeout: %d s\n"
          "          ratio: 0.%d\n"
          "        cache_size: %d MB\n"
          % (node.index % 10, 1024 + node.index % 60000,
             TIERS[node.index % len(TIERS)], label_value(node),
             1 + node.index % 65535, 1 + node.index % 600,
             node.index % 10, 64 << (node.index % 4)))
    reqs = []
    if node.host:
        reqs.append(("host", node.host))
    reqs += [("dependency", d) for d in node.deps]
    reqs += [("connection", c) for c in node.conns]
    if reqs:
        w("      requirements:\n")
        for name, target in reqs:
            w("        - %s: %s\n" % (name, target))


def tosca_output(out, node):
    attr = {"compute": "private_address", "app": "url",
            "noop": "state"}[node.kind]
    out.append("    %s_%s:\n"
               "      value: { get_attribute: [ %s, %s ] }\n"
               % (node.name, attr, node.name, attr))


def write_tosca(out, g, args, what):
    out.append("tosca_definitions_version: %s\n\n" % args.version)
    out.append("description: >-\n  %s\n\n" % what)
    out.append(TOSCA_HEAD)
    if args.shape == "independent":
        out.append(TOSCA_NOOP_TYPE)
    out.append("\ntopology_template:\n")
    out.append(TOSCA_INPUTS)
    out.append("\n  node_templates:\n")
    for node in g.nodes:
        tosca_node(out, node, g)
    out.append("\n  outputs:\n")
    for node in outputs_of(g):
        tosca_output(out, node)


# --- Cloudify ----------------------------------------------------------------

CLOUDIFY_HEAD = """\
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

data_types:
  bench.datatypes.Limits:
    properties:
      max_connections:
        type: integer
        constraints:
          - in_range: [ 1, 65535 ]
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
        default: ''
      limits:
        type: bench.datatypes.Limits
"""

# The no-op plugin and a type whose lifecycle runs it ('independent' only).
CLOUDIFY_NOOP = """\

  bench.nodes.Noop:
    derived_from: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
%s
plugins:
  bench:
    executor: central_deployment_agent
    install: false
""" % "".join("        %s: bench.noop\n" % op for op in LIFECYCLE)


def cloudify_node(out, node, g):
    w = out.append
    w("  %s:\n" % node.name)
    if node.kind == "noop":
        w("    type: bench.nodes.Noop\n")
        return
    if node.kind == "compute":
        w("    type: cloudify.nodes.Compute\n"
          "    properties:\n"
          "      ip: 10.%d.%d.%d\n"
          "      agent_config:\n"
          "        install_method: none\n"
          % (node.index >> 16 & 255, node.index >> 8 & 255,
             node.index & 255))
    else:
        w("    type: bench.nodes.App\n"
          "    properties:\n"
          "      port: %d\n"
          "      tier: %s\n"
          "      label: %s\n"
          "      limits:\n"
          "        max_connections: { get_input: max_connections }\n"
          "        timeout: %d\n"
          "        ratio: 0.%d\n"
          % (1024 + node.index % 60000, TIERS[node.index % len(TIERS)],
             label_value(node), 1 + node.index % 600, node.index % 10))
    rels = []
    if node.host:
        rels.append(("contained_in", node.host))
    rels += [("depends_on", d) for d in node.deps]
    rels += [("connected_to", c) for c in node.conns]
    if rels:
        w("    relationships:\n")
        for rtype, target in rels:
            w("      - type: cloudify.relationships.%s\n"
              "        target: %s\n" % (rtype, target))


def cloudify_output(out, node):
    attr = {"compute": "ip", "app": "url", "noop": "state"}[node.kind]
    out.append("  %s_%s:\n"
               "    value: { get_attribute: [ %s, %s ] }\n"
               % (node.name, attr, node.name, attr))


def write_cloudify(out, g, args, what):
    out.append("tosca_definitions_version: %s\n\n" % args.version)
    out.append("description: >-\n  %s\n\n" % what)
    out.append("imports:\n  - %s\n\n" % CLOUDIFY_TYPES)
    out.append(CLOUDIFY_HEAD)
    if args.shape == "independent":
        out.append(CLOUDIFY_NOOP)
    out.append("\nnode_templates:\n")
    for node in g.nodes:
        cloudify_node(out, node, g)
    out.append("\noutputs:\n")
    for node in outputs_of(g):
        cloudify_output(out, node)


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
    if args.dialect == "tosca":
        write_tosca(out, g, args, what)
    else:
        write_cloudify(out, g, args, what)
    text = "".join(out)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
