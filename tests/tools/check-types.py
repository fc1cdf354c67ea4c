#!/usr/bin/env python3
"""check-types.py: cross-check the type library in types/ against the corpus.

For every blueprint that the corpus manifest marks `valid`, load it the way
the engine will: follow its imports (relative files, and URLs or plugin:NAME
through types/import-map.yaml), add types/tosca-simple-1.3.yaml to every
TOSCA blueprint (and tosca-nonnormative-1.0.yaml to 1.0 ones), then check
that each type it names (node, relationship, data, capability, interface,
group, policy, artifact types) is defined once, that each property it sets
exists on that type, and that literal values have the declared type. Every file under types/ is checked on its own as
well: derived_from chains, property types, plugin names in implementations.

This is a checker of our YAML, not a loader: it does no function evaluation
and no requirement matching. Usage:

    tests/tools/check-types.py [--corpus DIR] [--types DIR] [-v]

Exit status 0 when nothing is wrong beyond the known cases listed in KNOWN,
1 otherwise.
"""

import argparse
import os
import re
import sys

import yaml

# Blueprints the manifest marks valid that no type file can make pass, with
# the reason. They are reported, not counted as failures.
KNOWN = {
    "xDaryamo__puccini/examples/cloudify/advanced-blueprint-example.yaml":
        "imports nothing: relies on Cloudify types being implicitly present",
    "openstack__tosca-parser/samples/tests/data/test_capability_without_properties.yaml":
        "declares capability types under node_types (a tosca-parser quirk)",
    "openstack__tosca-parser/samples/tests/data/test_attributes_inheritance.yaml":
        "gives YAML 1.1 'yes' (a boolean) to an integer property; tosca-parser "
        "accepts it because a Python bool is an int",
}

TOSCA_CATEGORIES = ("node_types", "relationship_types", "data_types",
                    "capability_types", "interface_types", "group_types",
                    "policy_types", "artifact_types")
CFY_CATEGORIES = ("node_types", "relationships", "data_types", "policy_types",
                  "policy_triggers")
# Short-name prefixes per category (TOSCA: "Compute" is tosca.nodes.Compute).
SHORT = {"node_types": "tosca.nodes.", "relationship_types": "tosca.relationships.",
         "data_types": "tosca.datatypes.", "capability_types": "tosca.capabilities.",
         "interface_types": "tosca.interfaces.", "group_types": "tosca.groups.",
         "policy_types": "tosca.policies.", "artifact_types": "tosca.artifacts."}
SHORT_INTERFACES = {"Standard": "tosca.interfaces.node.lifecycle.Standard",
                    "Configure": "tosca.interfaces.relationship.Configure"}
TOSCA_PRIMITIVES = {"string", "integer", "float", "boolean", "timestamp", "null",
                    "version", "range", "list", "map", "scalar-unit.size",
                    "scalar-unit.time", "scalar-unit.frequency",
                    "scalar-unit.bitrate", "any"}
CFY_PRIMITIVES = {"string", "integer", "float", "boolean", "list", "dict",
                  "regex", "textarea", "node_id", "node_type", "node_instance",
                  "operation_name", "blueprint_id", "deployment_id",
                  "capability_value", "secret_key", "scaling_group",
                  "node_template", "deployment_label"}
CFY_BUILTIN_POLICIES = {"cloudify.policies.scaling": {
    "default_instances": {"type": "integer", "default": 1},
    "min_instances": {"type": "integer", "default": 0},
    "max_instances": {"type": "integer", "default": -1}}}
CFY_SCALABLE = {"default_instances", "min_instances", "max_instances"}
FUNCTIONS = {"get_input", "get_property", "get_attribute", "get_attributes_list",
             "get_attributes_dict", "get_secret", "concat", "get_capability",
             "get_sys", "get_operation_output", "get_nodes_of_type",
             "get_artifact", "join", "token", "merge", "string_find",
             "string_replace", "string_split", "string_lower", "string_upper",
             "get_environment_capability", "get_label", "get_group_capability",
             "get_node_template", "get_attribute_list"}
SCRIPT_EXT = (".sh", ".py", ".ps1", ".bat", ".yaml", ".yml", ".j2")


class Loader(yaml.SafeLoader):
    """SafeLoader that also takes the YAML corners TOSCA processors accept:
    mapping keys that are mappings (function calls as keys) and the '='
    value tag."""


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    out = {}
    for knode, vnode in node.value:
        key = loader.construct_object(knode, deep=True)
        if isinstance(key, (dict, list)):
            key = repr(key)
        out[key] = loader.construct_object(vnode, deep=True)
    return out


Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                       _construct_mapping)
Loader.add_constructor("tag:yaml.org,2002:value",
                       lambda loader, node: loader.construct_scalar(node))

_cache = {}


def load(path):
    """Parsed document of 'path' (cached), or raises on a YAML error."""
    path = os.path.realpath(path)
    if path not in _cache:
        with open(path, encoding="utf-8") as f:
            _cache[path] = yaml.load(f, Loader=Loader) or {}
    return _cache[path]


def is_function(value):
    return (isinstance(value, dict) and len(value) == 1
            and next(iter(value)) in FUNCTIONS)


class ImportMap:
    """types/import-map.yaml: first matching pattern wins; '*' is any run
    of characters, '?' one character."""

    def __init__(self, types_dir):
        doc = load(os.path.join(types_dir, "import-map.yaml"))
        self.types_dir = types_dir
        self.entries = []
        for e in doc["map"]:
            rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                         for c in e["pattern"])
            self.entries.append((re.compile(rx + r"\Z"), e["file"]))

    def lookup(self, uri):
        for rx, fname in self.entries:
            if rx.match(uri):
                return os.path.join(self.types_dir, fname)
        return None


class Space:
    """The types visible to one blueprint: every file of its import
    closure, with the dialect each is read in."""

    def __init__(self, dialect):
        self.dialect = dialect
        self.cats = TOSCA_CATEGORIES if dialect == "tosca" else CFY_CATEGORIES
        self.types = {c: {} for c in self.cats}
        self.plugins = set()
        self.files = []
        self.problems = []

    def add_file(self, path, doc, prefix=None):
        self.files.append((path, doc))
        for plugin in (doc.get("plugins") or {}):
            self.plugins.add(plugin)
        for cat in self.cats:
            for name, defn in (doc.get(cat) or {}).items():
                names = [name]
                if prefix:
                    last = name.split(".")[-1]
                    names += [prefix + ":" + name, prefix + "." + name,
                              prefix + ":" + last, prefix + "." + last]
                prev = self.types[cat].get(name)
                if prev and prev[2] != path:
                    self.problems.append("%s '%s' defined twice (%s and %s)" % (
                        cat, name, os.path.basename(prev[2]), os.path.basename(path)))
                for n in names:
                    self.types[cat].setdefault(n, (name, defn or {}, path))

    def resolve(self, cat, name):
        """(canonical name, definition) of type 'name', or None."""
        if not isinstance(name, str):
            return None
        table = self.types[cat]
        if name in table:
            return table[name][0], table[name][1]
        if self.dialect != "tosca":
            return None
        bare = name[6:] if name.startswith("tosca:") else name
        for cand in (bare, SHORT.get(cat, "") + bare, SHORT_INTERFACES.get(bare)):
            if cand and cand in table:
                return table[cand][0], table[cand][1]
        # tosca-parser also takes the last segments alone ("PortDef")
        tails = [n for n in table if n.startswith("tosca.") and n.endswith("." + bare)]
        if len(tails) == 1:
            return table[tails[0]][0], table[tails[0]][1]
        return None

    def chain(self, cat, name):
        """Definitions from 'name' up to its root; None if a link is missing."""
        out, seen = [], set()
        while name is not None:
            if cat == "data_types" and name in TOSCA_PRIMITIVES | CFY_PRIMITIVES and out:
                break
            r = self.resolve(cat, name)
            if r is None or r[0] in seen:
                return None
            seen.add(r[0])
            out.append(r)
            name = r[1].get("derived_from")
        return out

    def merged(self, cat, name, key):
        """A map section (properties, capabilities, interfaces, ...) merged
        from the root of the chain down to 'name'."""
        out = {}
        for _, defn in reversed(self.chain(cat, name) or []):
            section = defn.get(key) or {}
            if isinstance(section, list):      # TOSCA requirements list
                for item in section:
                    out.update(item)
            else:
                out.update(section)
        return out


class Checker:
    def __init__(self, corpus, types_dir, verbose):
        self.corpus = corpus
        self.types_dir = types_dir
        self.verbose = verbose
        self.imap = ImportMap(types_dir)

    # -- building the type space -------------------------------------------

    def dialect_of(self, doc, default):
        v = str(doc.get("tosca_definitions_version", ""))
        if v.startswith("tosca_simple"):
            return "tosca"
        if v.startswith("cloudify_dsl"):
            return "cloudify"
        return default

    @staticmethod
    def implicit_imports(doc, dialect):
        """Files of types/ every blueprint of this version gets unasked."""
        if dialect != "tosca":
            return []
        if str(doc.get("tosca_definitions_version")) == "tosca_simple_yaml_1_0":
            return ["tosca-simple-1.3.yaml", "tosca-nonnormative-1.0.yaml"]
        return ["tosca-simple-1.3.yaml"]

    def space_for(self, path):
        doc = load(path)
        dialect = self.dialect_of(doc, "cloudify")
        space = Space(dialect)
        seen = set()
        todo = [(os.path.realpath(path), None)]
        for implicit in self.implicit_imports(doc, dialect):
            todo.append((os.path.realpath(os.path.join(self.types_dir, implicit)), None))
        while todo:
            p, prefix = todo.pop(0)
            if (p, prefix) in seen:
                continue
            seen.add((p, prefix))
            d = load(p)
            space.add_file(p, d, prefix)
            for imp in d.get("imports") or []:
                target = self.import_target(p, imp, space)
                if target:
                    todo.append(target)
        return space

    def import_target(self, importer, imp, space):
        prefix = None
        if isinstance(imp, dict):
            inner = next(iter(imp.values())) if len(imp) == 1 and "file" not in imp else imp
            if isinstance(inner, dict):
                prefix = inner.get("namespace_prefix")
                uri = inner.get("file")
            else:
                uri = inner
        else:
            uri = imp
        mapped = self.imap.lookup(uri)
        if mapped:
            return os.path.realpath(mapped), prefix
        local = self.local_import(os.path.dirname(importer), uri)
        if local:
            return os.path.realpath(local), prefix
        space.problems.append("import '%s' is neither mapped nor a file" % uri)
        return None

    @staticmethod
    def local_import(base, uri):
        """Path of a relative import: relative to the importing file's
        directory, or (as tosca-parser also does) with the leading
        directories of 'uri' that repeat the tail of that directory dropped."""
        cand = os.path.join(base, uri)
        if os.path.isfile(cand):
            return cand
        head = uri.split("/")[:-1]
        tail = base.rstrip("/").split("/")
        for n in range(len(head), 0, -1):
            if tail[-n:] == head[:n]:
                cand = os.path.join(base, *uri.split("/")[n:])
                if os.path.isfile(cand):
                    return cand
        return None

    # -- values -------------------------------------------------------------

    def check_value(self, space, value, typ, schema, where, out):
        """Append problems of 'value' against declared type 'typ'."""
        if value is None or is_function(value) or typ is None:
            return
        prim = TOSCA_PRIMITIVES | CFY_PRIMITIVES
        if typ in prim:
            self.check_primitive(space, value, typ, schema, where, out)
            return
        chain = space.chain("data_types", typ)
        if chain is None:
            out.append("%s: unknown data type '%s'" % (where, typ))
            return
        base = next((d.get("derived_from") for _, d in chain
                     if d.get("derived_from") in prim), None)
        if base:
            self.check_primitive(space, value, base, None, where, out)
            for _, d in chain:
                self.check_constraints(value, d.get("constraints"), where, out)
            return
        if not isinstance(value, dict):
            out.append("%s: expected a map for data type '%s', got %r"
                       % (where, chain[0][0], value))
            return
        self.check_props(space, value, space.merged("data_types", typ, "properties"),
                         "%s" % where, out)

    def check_primitive(self, space, value, typ, schema, where, out):
        ok = {
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
            "list": lambda v: isinstance(v, list),
            "map": lambda v: isinstance(v, dict),
            "dict": lambda v: isinstance(v, dict),
        }.get(typ)
        if ok and not ok(value):
            if typ == "string" and isinstance(value, (int, float, bool)):
                out.append("%s: note: string property given %r (dsl_parser and "
                           "tosca-parser accept it)" % (where, value))
            else:
                out.append("%s: expected %s, got %r" % (where, typ, value))
            return
        etype = (schema or {}).get("type") if isinstance(schema, dict) else schema
        if etype and isinstance(value, list):
            for i, v in enumerate(value):
                self.check_value(space, v, etype, None, "%s[%d]" % (where, i), out)
        elif etype and isinstance(value, dict):
            for k, v in value.items():
                self.check_value(space, v, etype, None, "%s.%s" % (where, k), out)

    def check_constraints(self, value, constraints, where, out):
        if not isinstance(value, (int, float, str)) or isinstance(value, bool):
            return
        for c in constraints or []:
            (op, arg), = c.items()
            bad = ((op == "in_range" and not arg[0] <= value <= arg[1])
                   or (op == "valid_values" and value not in arg)
                   or (op == "equal" and value != arg))
            if bad:
                out.append("%s: %r violates %s %r" % (where, value, op, arg))

    def check_props(self, space, given, defs, where, out, required=True):
        """Keys of 'given' against property definitions 'defs'."""
        for k, v in given.items():
            if k not in defs:
                out.append("%s: unknown property '%s'" % (where, k))
                continue
            d = defs[k] if isinstance(defs[k], dict) else {"type": defs[k]}
            self.check_value(space, v, d.get("type"), d.get("entry_schema"),
                             "%s.%s" % (where, k), out)
        if not required:
            return
        for k, d in defs.items():
            d = d if isinstance(d, dict) else {}
            if (k not in given and d.get("required", True) is not False
                    and "default" not in d and not self.fills_itself(space, d)):
                out.append("%s: required property '%s' not set" % (where, k))

    def fills_itself(self, space, d):
        """A complex-typed property left out is built from its data type's
        defaults (dsl_parser does this); true when that value is complete."""
        t = d.get("type")
        if not t or space.chain("data_types", t) is None:
            return False
        for k, pd in space.merged("data_types", t, "properties").items():
            pd = pd if isinstance(pd, dict) else {}
            if pd.get("required", True) is not False and "default" not in pd \
                    and not self.fills_itself(space, pd):
                return False
        return True

    # -- type files ---------------------------------------------------------

    def check_definitions(self, space, path, doc, out):
        """Every type defined in 'doc' refers only to types 'space' knows."""
        name = os.path.relpath(path, os.path.dirname(self.types_dir))
        for cat in space.cats:
            for tname, defn in (doc.get(cat) or {}).items():
                where = "%s: %s" % (name, tname)
                defn = defn or {}
                parent = defn.get("derived_from")
                if parent and space.chain(cat, tname) is None:
                    out.append("%s: derived_from '%s' not defined" % (where, parent))
                    continue
                self.check_type_refs(space, cat, defn, where, out)
        for wname, wf in (doc.get("workflows") or {}).items():
            mapping = wf if isinstance(wf, str) else (wf or {}).get("mapping")
            self.check_impl(space, path, mapping, "%s: workflow %s" % (name, wname), out)
            if isinstance(wf, dict):
                for p, pd in (wf.get("parameters") or {}).items():
                    self.check_propdef(space, pd, "%s: workflow %s.%s" % (name, wname, p), out)

    def check_propdef(self, space, pd, where, out):
        if not isinstance(pd, dict):
            return
        t = pd.get("type")
        if t and t not in TOSCA_PRIMITIVES | CFY_PRIMITIVES and \
                space.chain("data_types", t) is None:
            out.append("%s: property type '%s' not defined" % (where, t))
            return
        es = pd.get("entry_schema")
        es = es.get("type") if isinstance(es, dict) else es
        if es and es not in TOSCA_PRIMITIVES | CFY_PRIMITIVES and \
                space.chain("data_types", es) is None:
            out.append("%s: entry_schema type '%s' not defined" % (where, es))
        if "default" in pd and t:
            self.check_value(space, pd["default"], t, pd.get("entry_schema"),
                             where + " (default)", out)

    def check_type_refs(self, space, cat, defn, where, out):
        for sect in ("properties", "attributes"):
            for p, pd in (defn.get(sect) or {}).items():
                self.check_propdef(space, pd, "%s.%s" % (where, p), out)
        for c, cd in (defn.get("capabilities") or {}).items():
            ct = cd.get("type") if isinstance(cd, dict) else cd
            if ct and space.resolve("capability_types", ct) is None:
                out.append("%s: capability '%s' type '%s' not defined" % (where, c, ct))
        for req in defn.get("requirements") or []:
            for rname, rd in req.items():
                rd = rd if isinstance(rd, dict) else {"capability": rd}
                for key, rcat in (("capability", "capability_types"),
                                  ("node", "node_types"),
                                  ("relationship", "relationship_types")):
                    ref = rd.get(key)
                    if isinstance(ref, dict):
                        ref = ref.get("type")
                    if ref and space.resolve(rcat, ref) is None:
                        out.append("%s: requirement '%s' %s '%s' not defined"
                                   % (where, rname, key, ref))
        for vt in defn.get("valid_target_types") or []:
            if space.resolve("capability_types", vt) is None and \
                    space.resolve("node_types", vt) is None:
                out.append("%s: valid target type '%s' not defined" % (where, vt))
        for sect in ("interfaces", "source_interfaces", "target_interfaces"):
            for iname, idef in (defn.get(sect) or {}).items():
                self.check_interface_def(space, idef, "%s.%s" % (where, iname), out)

    def check_interface_def(self, space, idef, where, out):
        if not isinstance(idef, dict):
            return
        if space.dialect == "tosca":
            it = idef.get("type")
            if it and space.resolve("interface_types", it) is None:
                out.append("%s: interface type '%s' not defined" % (where, it))
            return
        for op, odef in idef.items():
            impl = odef if isinstance(odef, str) else (odef or {}).get("implementation")
            self.check_impl(space, None, impl, "%s.%s" % (where, op), out)

    def check_impl(self, space, path, impl, where, out):
        """A Cloudify implementation names a declared plugin or a script."""
        if not impl or not isinstance(impl, str) or "/" in impl or \
                impl.endswith(SCRIPT_EXT) or "." not in impl:
            return
        plugin = impl.split(".", 1)[0]
        if plugin not in space.plugins:
            out.append("%s: implementation '%s' names undeclared plugin '%s'"
                       % (where, impl, plugin))

    # -- templates ----------------------------------------------------------

    def check_blueprint(self, path):
        space = self.space_for(path)
        out = list(space.problems)
        for p, d in space.files:
            if p.startswith(os.path.realpath(self.corpus)):
                self.check_definitions(space, p, d, out)
        for p, d in space.files:
            if space.dialect == "tosca":
                self.check_tosca_topology(space, d.get("topology_template") or {}, out)
            else:
                self.check_cfy_templates(space, d, out)
        return out

    @staticmethod
    def node_type_of(space, where, template, out):
        """Canonical name of a node template's type, or None (and a problem)
        when the type or one of its ancestors is missing."""
        r = space.resolve("node_types", template.get("type"))
        if r is None:
            out.append("%s: node type '%s' not defined" % (where, template.get("type")))
            return None
        if space.chain("node_types", r[0]) is None:
            out.append("%s: type '%s' has a broken derived_from chain" % (where, r[0]))
            return None
        return r[0]

    def check_cfy_templates(self, space, doc, out):
        for n, t in (doc.get("node_templates") or {}).items():
            where = "node_templates.%s" % n
            tname = self.node_type_of(space, where, t, out)
            if tname is None:
                continue
            props = space.merged("node_types", tname, "properties")
            self.check_props(space, t.get("properties") or {}, props,
                             where + ".properties", out)
            scal = ((t.get("capabilities") or {}).get("scalable") or {}).get("properties") or {}
            for k in scal:
                if k not in CFY_SCALABLE:
                    out.append("%s.capabilities.scalable: unknown property '%s'" % (where, k))
            self.check_cfy_ops(space, t.get("interfaces") or {},
                               space.merged("node_types", tname, "interfaces"),
                               where + ".interfaces", out)
            for i, rel in enumerate(t.get("relationships") or []):
                self.check_cfy_relationship(space, rel, "%s.relationships[%d]" % (where, i), out)
        for n, p in (doc.get("policies") or {}).items():
            pt = p.get("type")
            defs = CFY_BUILTIN_POLICIES.get(pt)
            if defs is None:
                r = space.resolve("policy_types", pt)
                if r is None:
                    out.append("policies.%s: policy type '%s' not defined" % (n, pt))
                    continue
                defs = space.merged("policy_types", r[0], "properties")
            self.check_props(space, p.get("properties") or {}, defs,
                             "policies.%s.properties" % n, out)
        for g, grp in (doc.get("groups") or {}).items():
            for pn, pol in (grp.get("policies") or {}).items():
                if space.resolve("policy_types", pol.get("type")) is None:
                    out.append("groups.%s.policies.%s: policy type '%s' not defined"
                               % (g, pn, pol.get("type")))

    def check_cfy_relationship(self, space, rel, where, out):
        rt = rel.get("type")
        r = space.resolve("relationships", rt)
        if r is None or space.chain("relationships", r[0]) is None:
            out.append("%s: relationship type '%s' not defined" % (where, rt))
            return
        self.check_props(space, rel.get("properties") or {},
                         space.merged("relationships", r[0], "properties"),
                         where + ".properties", out)
        for side in ("source_interfaces", "target_interfaces"):
            self.check_cfy_ops(space, rel.get(side) or {},
                               space.merged("relationships", r[0], side),
                               "%s.%s" % (where, side), out)

    def check_cfy_ops(self, space, given, declared, where, out):
        for iname, ops in given.items():
            for op, odef in (ops or {}).items():
                impl = odef if isinstance(odef, str) else (odef or {}).get("implementation")
                self.check_impl(space, None, impl, "%s.%s.%s" % (where, iname, op), out)
                if impl or op in (declared.get(iname) or {}):
                    continue
                if isinstance(odef, dict) and odef.get("inputs"):
                    out.append("%s.%s.%s: sets inputs of an operation its type "
                               "does not declare" % (where, iname, op))

    def check_tosca_topology(self, space, topo, out):
        for n, t in (topo.get("node_templates") or {}).items():
            self.check_tosca_node(space, n, t, out)
        for n, t in (topo.get("relationship_templates") or {}).items():
            r = space.resolve("relationship_types", t.get("type"))
            if r is None:
                out.append("relationship_templates.%s: type '%s' not defined"
                           % (n, t.get("type")))
                continue
            self.check_props(space, t.get("properties") or {},
                             space.merged("relationship_types", r[0], "properties"),
                             "relationship_templates.%s.properties" % n, out)
        for n, inp in (topo.get("inputs") or {}).items():
            self.check_propdef(space, inp, "inputs.%s" % n, out)
        groups = topo.get("groups") or {}
        for n, g in groups.items():
            if space.resolve("group_types", g.get("type")) is None:
                out.append("groups.%s: type '%s' not defined" % (n, g.get("type")))
        pols = topo.get("policies") or []
        for item in (pols if isinstance(pols, list) else [pols]):
            for n, p in item.items():
                r = space.resolve("policy_types", p.get("type"))
                if r is None:
                    out.append("policies.%s: type '%s' not defined" % (n, p.get("type")))
                    continue
                self.check_props(space, p.get("properties") or {},
                                 space.merged("policy_types", r[0], "properties"),
                                 "policies.%s.properties" % n, out)

    def check_tosca_node(self, space, n, t, out):
        where = "node_templates.%s" % n
        tname = self.node_type_of(space, where, t, out)
        if tname is None:
            return
        if "copy" not in t:
            self.check_props(space, t.get("properties") or {},
                             space.merged("node_types", tname, "properties"),
                             where + ".properties", out)
        caps = space.merged("node_types", tname, "capabilities")
        for c, cv in (t.get("capabilities") or {}).items():
            cd = caps.get(c)
            if cd is None:
                out.append("%s.capabilities: '%s' not declared by '%s'" % (where, c, tname))
                continue
            ct = cd.get("type") if isinstance(cd, dict) else cd
            cr = space.resolve("capability_types", ct)
            if cr is None:
                out.append("%s.capabilities.%s: type '%s' not defined" % (where, c, ct))
                continue
            cdefs = space.merged("capability_types", cr[0], "properties")
            cdefs.update((cd.get("properties") or {}) if isinstance(cd, dict) else {})
            self.check_props(space, (cv or {}).get("properties") or {}, cdefs,
                             "%s.capabilities.%s.properties" % (where, c), out,
                             required=False)
        reqs = space.merged("node_types", tname, "requirements")
        for item in t.get("requirements") or []:
            for rn, rv in item.items():
                if rn not in reqs:
                    out.append("%s.requirements: note: '%s' not declared by '%s'"
                               % (where, rn, tname))
                rel = rv.get("relationship") if isinstance(rv, dict) else None
                rtype = rel.get("type") if isinstance(rel, dict) else None
                if rtype and space.resolve("relationship_types", rtype) is None:
                    out.append("%s.requirements.%s: relationship type '%s' not defined"
                               % (where, rn, rtype))
        ifaces = space.merged("node_types", tname, "interfaces")
        for iname in (t.get("interfaces") or {}):
            if iname not in ifaces:
                out.append("%s.interfaces: '%s' not declared by '%s'" % (where, iname, tname))
        for a, ad in (t.get("artifacts") or {}).items():
            at = ad.get("type") if isinstance(ad, dict) else None
            if at and space.resolve("artifact_types", at) is None:
                out.append("%s.artifacts.%s: type '%s' not defined" % (where, a, at))

    # -- driver -------------------------------------------------------------

    def check_type_library(self):
        """Each file of types/ checked in the closure of its own imports."""
        failures = 0
        for fname in sorted(os.listdir(self.types_dir)):
            if not fname.endswith(".yaml") or fname == "import-map.yaml":
                continue
            path = os.path.join(self.types_dir, fname)
            space = self.space_for(path)
            out = list(space.problems)
            for p, d in space.files:
                if os.path.realpath(p) == os.path.realpath(path):
                    self.check_definitions(space, p, d, out)
            out = [o for o in out if ": note:" not in o]
            failures += self.report("types/" + fname, out)
        return failures

    def report(self, name, problems, known=None):
        errors = [p for p in problems if ": note:" not in p]
        notes = [p for p in problems if ": note:" in p]
        if known:
            state = "known (%s)" % known
        else:
            state = "FAIL" if errors else "ok"
        print("%-4s %s" % (state, name) if not known else "%s: %s" % (name, state))
        if known and not self.verbose:
            return 0
        for p in errors + (notes if self.verbose else []):
            print("       " + p)
        return 1 if errors and not known else 0

    def run(self):
        failures = self.check_type_library()
        manifest = os.path.join(self.corpus, "MANIFEST.tsv")
        with open(manifest, encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f][1:]
        checked = 0
        for row in rows:
            rel, expected, notes = row[0], row[4], row[6] if len(row) > 6 else ""
            if expected != "valid":
                continue
            if "imported by:" in notes:
                if self.verbose:
                    print("--   %s (checked through its importers)" % rel)
                continue
            checked += 1
            known = KNOWN.get(rel)
            if not known and "type/plugin definitions only" in notes and \
                    row[3].startswith("cloudify") and "local imports" not in notes:
                known = "type library of another project, replaced by types/"
            try:
                problems = self.check_blueprint(os.path.join(self.corpus, rel))
            except (OSError, yaml.YAMLError) as e:
                problems = ["cannot read: %s" % str(e).splitlines()[0]]
            failures += self.report(rel, problems, known)
        print("%d passed, %d failed" % (checked - failures, failures))
        return 1 if failures else 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    corpus = next((c for c in (os.environ.get("BP_CORPUS"),
                               os.path.join(top, "..", "shared", "corpus"),
                               os.path.join(top, "..", "..", "shared", "corpus"))
                   if c and os.path.isdir(c)), None)
    ap.add_argument("--corpus", default=corpus,
                    help="corpus directory (default: $BP_CORPUS, ../shared/corpus)")
    ap.add_argument("--types", default=os.path.join(top, "types"))
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also print notes (values dsl_parser accepts leniently)")
    args = ap.parse_args()
    if not args.corpus or not os.path.isfile(os.path.join(args.corpus, "MANIFEST.tsv")):
        print("no corpus at %s" % args.corpus, file=sys.stderr)
        return 2
    return Checker(os.path.realpath(args.corpus), os.path.realpath(args.types),
                   args.verbose).run()


if __name__ == "__main__":
    sys.exit(main())
