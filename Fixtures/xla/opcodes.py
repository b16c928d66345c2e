#!/usr/bin/env python3
"""Tables of what the kept XLA snapshots contain (for README.md).

    python3 Fixtures/xla/opcodes.py              # opcode table over every kept snapshot
    python3 Fixtures/xla/opcodes.py --snapshots  # the kept snapshot files per model

The opcode table counts instructions (in every computation: entry, fused,
reducer, loop body...) over all `<model>/dump/*.txt` files, with the number of
snapshot files and the models each opcode appears in, followed by the fusion
kinds, the `kCustom` fusion configs and the custom-call targets. Needs no JAX.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))

_INSTR = re.compile(r"^\s*(?:ROOT\s+)?%?[\w.\-]+\s*=\s*")
_FILE = re.compile(r"^module_\d+\.jit_\w+?\.(before_optimizations|cpu_after_optimizations|\d{4}\..+)\.txt$")


def models() -> list[str]:
    return sorted(d for d in os.listdir(HERE) if os.path.isdir(os.path.join(HERE, d, "dump")))


def snapshots(model: str) -> list[str]:
    """Kept snapshots in pipeline order: before, numbered passes, after."""
    names = [n for n in os.listdir(os.path.join(HERE, model, "dump")) if n.endswith(".txt")]

    def key(n: str):
        rest = _FILE.match(n).group(1)
        if rest == "before_optimizations":
            return (0, "")
        if rest == "cpu_after_optimizations":
            return (2, "")
        return (1, rest)

    return sorted(names, key=key)


def _skip_shape(s: str, i: int) -> int:
    """Index just past the shape that starts at s[i] (tuple shapes nest)."""
    if s[i] == "(":
        depth = 0
        while i < len(s):
            if s[i] == "(":
                depth += 1
            elif s[i] == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return i
    while i < len(s) and s[i] != " ":
        i += 1
    return i


def instructions(path: str):
    """Yields (opcode, line) for every instruction line of an HLO text file."""
    with open(path) as f:
        for line in f:
            m = _INSTR.match(line)
            if not m or line.lstrip().startswith(("HloModule", "ENTRY")):
                continue
            i = _skip_shape(line, m.end())
            rest = line[i:].lstrip()
            op = re.match(r"([a-z][a-z0-9\-]*)\(", rest)
            if op:
                yield op.group(1), line


def opcode_table() -> str:
    count = Counter()
    files = defaultdict(set)
    in_models = defaultdict(set)
    fusion_kinds = Counter()
    custom_fusions = Counter()
    custom_calls = Counter()
    n_files = 0
    for model in models():
        for name in snapshots(model):
            n_files += 1
            path = os.path.join(HERE, model, "dump", name)
            for op, line in instructions(path):
                count[op] += 1
                files[op].add(path)
                in_models[op].add(model)
                if op == "fusion":
                    k = re.search(r"kind=(\w+)", line)
                    fusion_kinds[k.group(1) if k else "?"] += 1
                    c = re.search(r'"fusion_config":\{"kind":"([^"]+)"', line)
                    if c:
                        custom_fusions[c.group(1)] += 1
                if op == "custom-call":
                    t = re.search(r'custom_call_target="([^"]+)"', line)
                    custom_calls[t.group(1) if t else "?"] += 1
    out = [f"{n_files} snapshot files, {len(models())} models, {sum(count.values())} instructions", ""]
    out.append("| opcode | instructions | snapshots | models |")
    out.append("|---|---:|---:|---|")
    for op, c in sorted(count.items(), key=lambda kv: (-kv[1], kv[0])):
        ms = sorted(in_models[op])
        where = "all" if len(ms) == len(models()) else ", ".join(ms)
        out.append(f"| `{op}` | {c} | {len(files[op])} | {where} |")
    out.append("")
    out.append("fusion kinds: " + (", ".join(f"`{k}` {v}" for k, v in fusion_kinds.most_common()) or "none"))
    out.append("kCustom fusion configs: " + (", ".join(f"`{k}` {v}" for k, v in custom_fusions.most_common()) or "none"))
    out.append("custom-call targets: " + (", ".join(f"`{k}` {v}" for k, v in custom_calls.most_common()) or "none"))
    return "\n".join(out)


def _without_metadata(text: str) -> str:
    text = re.sub(r", metadata=\{[^}]*\}", "", text)
    return re.sub(r"^(FileNames|FunctionNames|FileLocations|StackFrames)\n(?:.+\n)*\n", "", text, flags=re.M)


def snapshot_listing() -> str:
    """Per model: the files in order, each marked against the previous one:
    '=' byte-identical, '~' differs only in metadata, '*' the HLO changed."""
    out = []
    for model in models():
        names = snapshots(model)
        prefix = re.match(r"module_\d+\.jit_\w+?\.", names[0]).group(0)
        marks, prev = [], None
        for n in names:
            with open(os.path.join(HERE, model, "dump", n)) as f:
                text = f.read()
            if prev is None:
                mark = " "
            elif text == prev:
                mark = "="
            elif _without_metadata(text) == _without_metadata(prev):
                mark = "~"
            else:
                mark = "*"
            marks.append(mark)
            prev = text
        changed = marks.count("*")
        out.append(f"{model}: {len(names)} files, {changed} steps change the HLO ({prefix}*)")
        for mark, n in zip(marks, names):
            out.append(f"  {mark} {n[len(prefix):]}")
    return "\n".join(out)


if __name__ == "__main__":
    if sys.argv[1:] == ["--snapshots"]:
        print(snapshot_listing())
    elif sys.argv[1:]:
        sys.exit(__doc__)
    else:
        print(opcode_table())
