#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check that the netlink spec, the uapi header and the kernel's policies
and operations agree.  The spec (Documentation/netlink/specs/hvctl.yaml)
is the authority; this reads the C files as text, the way YNL's generator
would write them, and names every difference it finds."""

import re
import sys
from pathlib import Path

import yaml

TOP = Path(__file__).resolve().parent.parent
SPEC = TOP / "Documentation/netlink/specs/hvctl.yaml"
UAPI = TOP / "include/uapi/linux/hvctl.h"
KSPEC = TOP / "kernel/nl-spec.c"

NLA_TYPES = {"u8": "NLA_U8", "u16": "NLA_U16", "u32": "NLA_U32",
             "u64": "NLA_U64", "flag": "NLA_FLAG", "string": "NLA_NUL_STRING",
             "nest": "NLA_NESTED"}

errors = []


def err(msg):
    errors.append(msg)


def c_name(*parts):
    return "_".join(p.upper().replace("-", "_") for p in parts)


def header_enums(text):
    """Map every enumerator of the header to its value."""
    values = {}
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\};", text, re.S):
        nxt = 0
        body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            m = re.match(r"(\w+)\s*(?:=\s*\((__\w+)\s*-\s*1\)|=\s*(\d+))?$",
                         item)
            if not m:
                err(f"{UAPI.name}: cannot read enumerator '{item}'")
                continue
            name, ref, num = m.groups()
            if ref:
                values[name] = values[ref] - 1
                continue
            if num:
                nxt = int(num)
            values[name] = nxt
            nxt += 1
    return values


def header_defines(text):
    return dict(re.findall(r"#define[ \t]+(\w+)[ \t]+(\S+)", text))


def check_nested(kspec, enums, ent, pname, cn, nset, fam):
    """A nest in a request: its policy takes the nested set's attributes
    (pads aside), each with its type, and nothing else."""
    m = re.search(r"\.nested_policy\s*=\s*(\w+)", ent)
    if not m:
        err(f"{KSPEC.name}: {pname}[{cn}] has no nested policy")
        return
    npname = m.group(1)
    pm = re.search(r"nla_policy\s+" + npname + r"\[(\w+)\s*\+\s*1\]\s*="
                   r"\s*\{(.*?)\n\};", kspec, re.S)
    if not pm:
        err(f"{KSPEC.name}: no nested policy {npname}")
        return
    want = [a for a in nset["attributes"] if a["type"] != "pad"]
    names = [a["name"] for a in nset["attributes"]]
    if enums.get(pm.group(1)) != len(names):
        err(f"{KSPEC.name}: {npname} is sized by {pm.group(1)}, the spec's "
            f"{nset['name']} has {len(names)} attributes")
    lm = re.search(r"\.len\s*=\s*(\w+)", ent)
    if not lm or lm.group(1) != pm.group(1):
        err(f"{KSPEC.name}: {pname}[{cn}] .len is not {pm.group(1)}")
    entries = dict(re.findall(r"\[(\w+)\]\s*=\s*\{(.*?)\}", pm.group(2),
                              re.S))
    for a in want:
        ncn = c_name(fam, "a", nset["name"], a["name"])
        nent = entries.pop(ncn, None)
        if nent is None:
            err(f"{KSPEC.name}: {npname} lacks {ncn}")
            continue
        typ = NLA_TYPES[a["type"]]
        if not re.search(r"\.type\s*=\s*" + typ + r"\b", nent):
            err(f"{KSPEC.name}: {npname}[{ncn}] is not {typ}")
    for ncn in entries:
        err(f"{KSPEC.name}: {npname} accepts {ncn}, the spec does not")


def main():
    spec = yaml.safe_load(SPEC.read_text())
    uapi = UAPI.read_text()
    kspec = KSPEC.read_text()
    enums = header_enums(uapi)
    defines = header_defines(uapi)
    fam = spec["name"]

    if defines.get(c_name(fam, "family-name")) != f'"{fam}"':
        err(f"{UAPI.name}: family name is not \"{fam}\"")
    if defines.get(c_name(fam, "family-version")) != "1":
        err(f"{UAPI.name}: family version is not 1")
    for d in spec.get("definitions", []):
        if d["type"] == "const":
            got = defines.get(c_name(fam, d["name"]))
            if got != str(d["value"]):
                err(f"{UAPI.name}: {c_name(fam, d['name'])} is {got}, "
                    f"spec says {d['value']}")

    sets = {s["name"]: s for s in spec["attribute-sets"]}
    for s in spec["attribute-sets"]:
        names = [c_name(fam, "a", s["name"], a["name"])
                 for a in s["attributes"]]
        for i, n in enumerate(names, start=1):
            if enums.get(n) != i:
                err(f"{UAPI.name}: {n} is {enums.get(n)}, spec says {i}")
        mx = c_name(fam, "a", s["name"], "max")
        if enums.get(mx) != len(names):
            err(f"{UAPI.name}: {mx} is {enums.get(mx)}, spec says "
                f"{len(names)} (attribute in the header, not in the spec?)")
        prefix = c_name(fam, "a", s["name"]) + "_"
        extra = [n for n in enums if n.startswith(prefix) and n not in names
                 and n not in (mx, "__" + mx, prefix + "UNSPEC")]
        for n in extra:
            err(f"{UAPI.name}: {n} is not in the spec")

    ops = spec["operations"]["list"]
    for i, op in enumerate(ops, start=1):
        n = c_name(fam, "cmd", op["name"])
        if enums.get(n) != i:
            err(f"{UAPI.name}: {n} is {enums.get(n)}, spec says {i}")
    mx = c_name(fam, "cmd", "max")
    if enums.get(mx) != len(ops):
        err(f"{UAPI.name}: {mx} is {enums.get(mx)}, spec says {len(ops)}")

    for d in spec.get("definitions", []):
        if d["type"] != "enum":
            continue
        nxt = 0
        for e in d["entries"]:
            nxt = e.get("value", nxt)
            n = (d["name-prefix"] + e["name"]).upper().replace("-", "_")
            if enums.get(n) != nxt:
                err(f"{UAPI.name}: {n} is {enums.get(n)}, spec says {nxt}")
            nxt += 1

    for g in spec.get("mcast-groups", {}).get("list", []):
        n = c_name(fam, "mcgrp", g["name"])
        if defines.get(n) != f'"{g["name"]}"':
            err(f"{UAPI.name}: {n} is not \"{g['name']}\"")
        if "GENL_MCAST_CAP_NET_ADMIN" not in kspec:
            err(f"{KSPEC.name}: joining {g['name']} does not need CAP_NET_ADMIN")

    # Operations table and per-command policies.
    for op in ops:
        cmd = c_name(fam, "cmd", op["name"])
        if "do" not in op and "dump" not in op:
            if re.search(r"\.cmd\s*=\s*" + cmd + r",", kspec):
                err(f"{KSPEC.name}: {cmd} is an event, not a request")
            continue
        aset = sets[op["attribute-set"]]
        m = re.search(r"\{\s*\.cmd\s*=\s*" + cmd + r",(.*?)\n\t\}", kspec,
                      re.S)
        if not m:
            err(f"{KSPEC.name}: no operation for {cmd}")
            continue
        body = m.group(1)
        for mode, field in (("do", ".doit"), ("dump", ".dumpit")):
            if (mode in op) != (field in body):
                err(f"{KSPEC.name}: {cmd} {'lacks' if mode in op else 'has'}"
                    f" {field}, spec {'has' if mode in op else 'lacks'} {mode}")
        admin = "admin-perm" in op.get("flags", [])
        if admin != ("GENL_ADMIN_PERM" in body):
            err(f"{KSPEC.name}: {cmd} admin-perm differs from the spec")

        req = []
        for mode in ("do", "dump"):
            for a in op.get(mode, {}).get("request", {}).get("attributes", []):
                if a not in req:
                    req.append(a)
        pname = f"{fam}_{op['name'].replace('-', '_')}_nl_policy"
        pm = re.search(r"nla_policy\s+" + pname + r"\[(\w+)\s*\+\s*1\]\s*=\s*"
                       r"\{(.*?)\n\};", kspec, re.S)
        if not pm:
            err(f"{KSPEC.name}: no policy {pname} for {cmd}")
            continue
        attrs = {a["name"]: a for a in aset["attributes"]}
        want_max = max((list(attrs).index(a) + 1 for a in req), default=0)
        got_max = enums.get(pm.group(1))
        if got_max != want_max:
            err(f"{KSPEC.name}: {pname} is sized by {pm.group(1)}, spec's "
                f"highest request attribute is number {want_max}")
        if not re.search(r"\.maxattr\s*=\s*" + pm.group(1) + r",", body):
            err(f"{KSPEC.name}: {cmd} .maxattr differs from its policy size")
        entries = dict(re.findall(r"\[(\w+)\]\s*=\s*\{(.*?)\}", pm.group(2),
                                  re.S))
        for a in req:
            cn = c_name(fam, "a", aset["name"], a)
            ent = entries.pop(cn, None)
            if ent is None:
                err(f"{KSPEC.name}: {pname} lacks {cn}")
                continue
            typ = NLA_TYPES[attrs[a]["type"]]
            if not re.search(r"\.type\s*=\s*" + typ + r"\b", ent):
                err(f"{KSPEC.name}: {pname}[{cn}] is not {typ}")
            maxlen = attrs[a].get("checks", {}).get("max-len")
            if maxlen is not None:
                lm = re.search(r"\.len\s*=\s*([^,]+),", ent)
                expr = lm.group(1) if lm else "None"
                for k, v in defines.items():
                    expr = re.sub(r"\b" + k + r"\b", v, expr)
                try:
                    val = eval(expr, {"__builtins__": {}})  # noqa: S307
                except Exception:  # noqa: BLE001
                    val = None
                if val != maxlen:
                    err(f"{KSPEC.name}: {pname}[{cn}] .len is {val}, "
                        f"spec says {maxlen}")
            if attrs[a]["type"] == "nest":
                check_nested(kspec, enums, ent, pname, cn,
                             sets[attrs[a]["nested-attributes"]], fam)
        for cn in entries:
            err(f"{KSPEC.name}: {pname} accepts {cn}, the spec's request "
                "does not")

    for e in errors:
        print(f"spec-check: {e}")
    print(f"spec-check: {len(ops)} operations, {len(sets)} attribute sets: "
          f"{'OK' if not errors else str(len(errors)) + ' differences'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
