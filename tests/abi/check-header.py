#!/usr/bin/env python3
"""check-header.py: meta-checks of the public plugin header (curl's
test1167 and test1139 in spirit), run by tests/cli/t6001-plugin-header.sh.

  names HEADER              every name the header declares or defines
                            (macros, tags, typedefs, enumerators,
                            functions, variables) starts with bp_ or BP_
  includes HEADER           it includes only stddef, stdint, stdbool, stdarg
  frozen FROZEN HEADER      the frozen ABI's struct bp_api and struct
                            bp_plugin_desc declarations (comments and
                            spacing aside) are still how the current ones
                            start, its typedefs are unchanged, and its
                            macros keep their values
  man HEADER PAGE           the man page names every slot of struct bp_api,
                            every bp_*() wrapper and every BP_ constant
Prints one line per problem and exits 1 when there is one.
"""
import re
import sys

KEYWORDS = set("""auto break case char const continue default do double else
enum extern float for goto if inline int long register restrict return short
signed sizeof static struct switch typedef union unsigned void volatile while
bool _Bool""".split())


def uncomment(src):
    src = re.sub(r"/\*.*?\*/", " ", src, flags=re.S)
    src = re.sub(r"//[^\n]*", " ", src)
    return re.sub(r"\\\n", " ", src)


def strip(src):
    return re.sub(r'"(\\.|[^"\\])*"', '""', uncomment(src))


def tokens(code):
    return re.findall(r'""|[A-Za-z_]\w*|\d+|\S', code)


def declared(src):
    """(kind, name) for everything the header puts in the global scope."""
    src = strip(src)
    out = []
    for name, body in re.findall(r"^\s*#\s*define\s+(\w+)(?:\([^)]*\))?"
                                 r"(.*)$", src, re.M):
        out.append(("macro", name))
        if ";" in body:   # what a macro like BP_PLUGIN_DEFINE declares
            out += [(k, n) for k, n in declared(body + ";")
                    if k != "macro"]
    toks = tokens(re.sub(r"^\s*#.*$", " ", src, flags=re.M))
    for i, t in enumerate(toks[:-1]):
        if t in ("struct", "enum", "union") and re.match(r"\w", toks[i + 1]):
            out.append(("tag", toks[i + 1]))
    depth, stmt, in_enum, extern_c = 0, [], False, []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t == "extern" and toks[i + 1:i + 3] == ['""', "{"]:
            extern_c.append(depth)
            i += 3
            continue
        if t == "{":
            in_enum = depth == 0 and "enum" in stmt
            if depth == 0:
                stmt.append("{}")
            depth += 1
        elif t == "}":
            if extern_c and extern_c[-1] == depth:
                extern_c.pop()
                i += 1
                continue
            depth -= 1
            if depth == 0 and "(" in stmt and not in_enum and \
                    stmt[0] not in ("struct", "typedef", "enum"):
                out += statement(stmt)   # a function definition
                stmt = []
        elif depth == 1 and in_enum and re.match(r"\w", t) and \
                toks[i - 1] in ("{", ","):
            out.append(("enumerator", t))
        elif depth == 0 and t == ";":
            out += statement(stmt)
            stmt = []
        elif depth == 0:
            stmt.append(t)
        i += 1
    return out


def statement(stmt):
    if not stmt:
        return []
    if stmt[0] == "typedef":
        m = re.search(r"\( \* (\w+) \)", " ".join(stmt))
        names = [w for w in stmt if re.match(r"\w", w)]
        return [("typedef", m.group(1) if m else names[-1])]
    for j, t in enumerate(stmt[:-1]):
        if stmt[j + 1] == "(" and re.match(r"\w", t) and t not in KEYWORDS:
            return [("function", t)]
    names = [w for w in stmt if re.match(r"\w", w) and w not in KEYWORDS]
    return [("name", names[-1])] if names else []


def check_names(path):
    bad = [f"{path}: {kind} '{name}' does not start with bp_ or BP_"
           for kind, name in declared(open(path).read())
           if not re.match(r"(bp|BP)_", name)]
    return bad


def check_includes(path):
    allowed = {"stddef.h", "stdint.h", "stdbool.h", "stdarg.h"}
    incs = re.findall(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]',
                      strip(open(path).read()), re.M)
    return [f"{path}: includes <{i}>; only <stdarg.h> <stdbool.h> "
            f"<stddef.h> <stdint.h> are allowed"
            for i in incs if i not in allowed]


def struct_body(src, name):
    m = re.search(r"struct\s+" + name + r"\s*\{(.*?)\n\};", src, re.S)
    return " ".join(strip(m.group(1)).split()) if m else None


def check_frozen(frozen_path, path):
    old, new = open(frozen_path).read(), open(path).read()
    bad = []
    for name, keep_tail in (("bp_api", True), ("bp_plugin_desc", False)):
        o, n = struct_body(old, name), struct_body(new, name)
        if o is None or n is None:
            bad.append(f"struct {name} not found")
            continue
        if not keep_tail:   # new fields may take the reserved room
            o = o[:o.index("void *reserved[")]
        if not n.startswith(o):
            k = next(i for i in range(len(o)) if i >= len(n) or o[i] != n[i])
            bad.append(f"struct {name}: the ABI 1.0 declarations changed "
                       f"near '{o[max(0, k - 40):k + 40]}'")
    for td in re.findall(r"typedef[^;]*;", strip(old)):
        if " ".join(td.split()) not in " ".join(strip(new).split()):
            bad.append(f"typedef changed or removed: {' '.join(td.split())}")
    defs = dict(re.findall(r"^\s*#\s*define\s+(BP_\w+)\s+(\S+)\s*$",
                           uncomment(old), re.M))
    now = dict(re.findall(r"^\s*#\s*define\s+(BP_\w+)\s+(\S+)\s*$",
                          uncomment(new), re.M))
    for k, v in defs.items():
        if k != "BP_ABI_MINOR" and now.get(k) != v:
            bad.append(f"macro {k} was {v}, is now {now.get(k)}")
    return bad


def check_man(path, page):
    src, man = open(path).read(), open(page).read()
    man = re.sub(r"\\f[BIRP]|\\f\(..", " ", man)
    man = man.replace("\\-", "-").replace("\\_", "_").replace("\\e", " ")
    body = struct_body(src, "bp_api")
    slots = re.findall(r"\(\s*\*\s*(\w+)\s*\)", body)
    wrappers = re.findall(r"static inline [^(]*?\b(bp_\w+)\s*\(", strip(src))
    consts = [n for k, n in declared(src) if k == "enumerator"
              and not n.endswith("_LAST")]
    consts += ["BP_PLUGIN_DEFINE", "BP_API_HAS", "BP_ABI_MAJOR",
               "BP_ABI_MINOR", "bp_plugin_entry", "bp_plugin_api"]
    words = set(re.findall(r"\w+", man))
    return [f"{page}: does not mention '{n}'"
            for n in sorted(set(slots + wrappers + consts))
            if n not in words]


def main(argv):
    cmd, args = argv[1], argv[2:]
    bad = {"names": check_names, "includes": check_includes,
           "frozen": check_frozen, "man": check_man}[cmd](*args)
    for line in bad:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
