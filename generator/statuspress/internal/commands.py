"""Commands written inline in workarounds and runbook steps become fenced blocks.

Authors write steps the way they talk: ``1. Cordon the node: `kubectl cordon <node>`.``. On the
page a fenced block is what a responder needs: it keeps the whole command on its own lines
and mkdocs-material gives it a copy button. Only a code span that looks like a command (a
known program, or a lowercase word followed by options; an SQL statement ending in ``;``) and
that ends its line or begins it is moved; one in the middle of a sentence stays inline, as do
alert names, log lines and values (``DiskPressure=True``). The author's words are kept; a list
item that starts with its command gets "Run:" in front of the block (Markdown cannot open a
list item with a fence).
"""

from __future__ import annotations

import re

PROGRAMS = frozenset(
    "aws az certbot curl dig docker flagctl gcloud git helm journalctl kafka-consumer-groups "
    "kafka-topics kcat kubectl mailctl nslookup openssl pg_dump psql redis-cli scp ssh "
    "ssh-keygen ssh-keyscan sudo systemctl terraform wget".split()
)
SQL = re.compile(r"(?:SELECT|UPDATE|DELETE|INSERT|ALTER|VACUUM|ANALYZE|SHOW|SET|CALL)\b")
ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap> +)(?P<text>.*)$")
FENCE = re.compile(r"^ *(```|~~~)")
SPAN_AT_END = re.compile(r"^(?P<before>(?:[^`]*`[^`]*`)*?[^`]*?)`(?P<code>[^`]+)`[.;,]?\s*$")
SPAN_AT_START = re.compile(r"^`(?P<code>[^`]+)`(?P<after>.*)$")


def language(code: str) -> str | None:
    """``shell`` or ``sql`` when the span reads as a command to run, else None."""
    code = code.strip()
    if SQL.match(code) and code.endswith(";"):
        return "sql"
    words = code.removeprefix("$ ").split()
    if len(words) < 2:
        return None
    if words[0] in PROGRAMS:
        return "shell"
    options = any(len(w) > 1 and w.startswith("-") for w in words[1:])
    if re.fullmatch(r"[a-z][a-z0-9_.-]*", words[0]) and options:
        return "shell"
    return None


def _block(code: str, lang: str, indent: str) -> list[str]:
    return ["", f"{indent}```{lang}", f"{indent}{code.strip()}", f"{indent}```", ""]


def commands_as_blocks(markdown: str) -> str:
    """``markdown`` with each command span that ends or begins a line as a fenced block."""
    out: list[str] = []
    in_fence = False
    content: int | None = None  # where the current list item's blocks are indented
    split = False  # a block was put into the current item: its next lines need that indent
    for line in markdown.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence or FENCE.match(line):
            out.append(line)
            continue
        item = ITEM.match(line)
        if item:
            if split and out and out[-1].strip():
                out.append("")  # else the item would continue the paragraph after the block
            content, split = len(item["indent"]) + 4, False
            head, text = item["indent"] + item["marker"] + item["gap"], item["text"]
        elif not line.strip():
            out.append(line)
            continue
        elif content is not None and line.startswith(" "):
            margin = " " * content if split else line[: len(line) - len(line.lstrip())]
            head, text = margin, line.strip()
        else:
            content, split = None, False
            head, text = "", line
        indent = " " * content if content is not None else ""
        end = SPAN_AT_END.match(text)
        start = SPAN_AT_START.match(text)
        if end and end["before"].strip() and (lang := language(end["code"])):
            out.append(head + end["before"].rstrip())
            out += _block(end["code"], lang, indent)
            split = content is not None
        elif start and (lang := language(start["code"])):
            after = re.sub(r"^[.;,]?\s*", "", start["after"])
            if item:
                out.append(head + "Run:")
            out += _block(start["code"], lang, indent)
            if after:
                out.append(indent + after)
            split = content is not None
        else:
            out.append(head + text if item or split else line)
    return "\n".join(out)
