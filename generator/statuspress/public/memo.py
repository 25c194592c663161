"""What serve's last public render produced, reused where the inputs are unchanged.

Exists only for speed (``statuspress serve`` after one edit at 10,000 incidents); a full build
never uses it, and ``tests/test_serve_incremental.py`` holds every incremental result to the
bytes of a fresh full build. Two kinds of reuse:

- **Values** (:meth:`RenderMemo.get`): a slot (``feeds:history.rss``) holds the last value and
  the key it was made from; the value is reused while the new key is equal (``==``). Keys are
  built from whole objects (the projected incidents, :func:`settings`), never from a list of
  chosen fields, so a new field of the site or of an incident is part of every key by itself.
- **Pages** (:meth:`RenderMemo.page`): a page is reused while every value its templates read
  is equal. What they read is found in the templates themselves (:func:`template_reads`):
  each context name and attribute chain (``services[sid].service.name``), through ``extends``,
  ``include`` and ``import``, plus what the filters and functions they call read (declared
  where those are defined, :data:`statuspress.public.pages.READS`). A template named by an
  expression, or a filter nobody declared, makes the page render every time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar

import jinja2
from jinja2 import meta, nodes
from jinja2.compiler import CodeGenerator, Frame

from ..writer import Claim
from .project import PublicIncident, PublicSite

T = TypeVar("T")
ANY = "<any>"
"""A path step for ``x[expression]``: every item of ``x``."""
KEYS = "<keys>"
"""A last path step for ``x in mapping``: only the mapping's keys."""
MISSING = ("statuspress:missing",)
Path = tuple[str, ...]

_MANY = ("incidents", "segments")


def settings(site: PublicSite) -> tuple[Any, ...]:
    """Everything of the site but its incidents and segments (the rest is small)."""
    return tuple(getattr(site, f.name) for f in fields(site) if f.name not in _MANY)


@dataclass(frozen=True, slots=True)
class Reads:
    """What a template (with every template it uses) reads."""

    paths: frozenset[Path]
    filters: frozenset[str]
    tests: frozenset[str]
    sources: tuple[tuple[str, str], ...]
    """(name, source) of each template involved: an edited template changes the key."""
    known: bool
    """False when a template is named by an expression (the page then always renders)."""


def template_reads(env: jinja2.Environment, name: str) -> Reads:
    """Every context path, filter and test used by template ``name`` and those it uses."""
    paths: set[Path] = set()
    filters: set[str] = set()
    tests: set[str] = set()
    sources: dict[str, str] = {}
    known = True
    todo = [name]
    assert env.loader is not None
    while todo:
        current = todo.pop()
        if current in sources:
            continue
        try:
            source, filename, _ = env.loader.get_source(env, current)
        except jinja2.TemplateNotFound:
            sources[current] = ""  # an optional include that is absent
            continue
        sources[current] = source
        ast = env.parse(source, current, filename)
        for ref in meta.find_referenced_templates(ast):
            if ref is None:
                known = False
            else:
                todo.append(ref)
        _collect(ast, _free_names(env, ast), paths, filters, tests)
    return Reads(
        frozenset(paths),
        frozenset(filters),
        frozenset(tests),
        tuple(sorted(sources.items())),
        known,
    )


def _source(env: jinja2.Environment, name: str) -> str:
    """A template's source; empty when there is none."""
    assert env.loader is not None
    try:
        return env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:
        return ""


class _Names(CodeGenerator):
    """Jinja's own name resolution: every name a template looks up at run time.

    Like ``jinja2.meta.find_undeclared_variables``, but globals count too: the site, theme and
    services are globals of the public pages' environment, and they change between renders.
    """

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment, "<reads>", "<reads>")
        self.names: set[str] = set()

    def write(self, x: str) -> None:
        return None

    def enter_frame(self, frame: Frame) -> None:
        super().enter_frame(frame)
        for action, param in frame.symbols.loads.values():
            if action == "resolve" and param:
                self.names.add(param)


def _free_names(env: jinja2.Environment, ast: nodes.Template) -> set[str]:
    names = _Names(env)
    names.visit(ast)
    return names.names


def _chain(node: nodes.Node) -> tuple[str, list[str], list[nodes.Node]] | None:
    """``a.b[c]`` as (``a``, [``b``, ANY], [``c``]); None when it does not start at a name."""
    steps: list[str] = []
    args: list[nodes.Node] = []
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        if isinstance(node, nodes.Getattr):
            steps.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            steps.append(node.arg.value)
        else:
            steps.append(ANY)
            args.append(node.arg)
        node = node.node
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return node.name, steps[::-1], args
    return None


def _collect(
    node: nodes.Node, free: set[str], paths: set[Path], filters: set[str], tests: set[str]
) -> None:
    if isinstance(node, nodes.Compare):
        # ``x in services`` reads the keys of ``services``, not its values.
        _collect(node.expr, free, paths, filters, tests)
        for op in node.ops:
            chain = _chain(op.expr) if op.op in ("in", "notin") else None
            if chain is None:
                _collect(op.expr, free, paths, filters, tests)
                continue
            name, steps, args = chain
            if name in free:
                paths.add((name, *steps, KEYS))
            for arg in args:
                _collect(arg, free, paths, filters, tests)
        return
    chain = _chain(node) if isinstance(node, nodes.Getattr | nodes.Getitem) else None
    if chain is not None:
        name, steps, args = chain
        if name in free:
            paths.add((name, *steps))
        for arg in args:
            _collect(arg, free, paths, filters, tests)
        return
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in free:
        paths.add((node.name,))
    if isinstance(node, nodes.Filter) and node.name:
        filters.add(node.name)
    if isinstance(node, nodes.Test):
        tests.add(node.name)
    for child in node.iter_child_nodes():
        _collect(child, free, paths, filters, tests)


def lookup(names: Mapping[str, Any], fallback: Mapping[str, Any], path: Path) -> Any:
    """The value at ``path`` whose first step is a name of the page context (or a global)."""
    root = names.get(path[0], fallback.get(path[0], MISSING))
    return value_at(root, path[1:])


def value_at(obj: Any, path: Iterable[str]) -> Any:
    """The value a template reads at ``path`` (Jinja's lookup: attribute, then item).

    ``ANY`` gives every item (with its key, for a mapping); a method gives its owner whole.
    """
    steps = tuple(path)
    for index, step in enumerate(steps):
        if step == KEYS and index == len(steps) - 1:
            return tuple(obj) if isinstance(obj, Mapping) else obj
        if step == ANY:
            rest = steps[index + 1 :]
            if isinstance(obj, Mapping):
                return tuple((k, value_at(v, rest)) for k, v in obj.items())
            if isinstance(obj, list | tuple):
                return tuple(value_at(v, rest) for v in obj)
            return obj
        try:
            found = getattr(obj, step)
        except AttributeError:
            try:
                found = obj[step]
            except (TypeError, LookupError):
                return MISSING
        if callable(found) and not isinstance(found, type):
            return obj
        obj = found
    return obj


@dataclass(slots=True)
class _Page:
    template: str
    shared: object
    """The canonical key of what every page of this template reads (compared by identity)."""
    values: dict[str, Any]
    """The page's own values (the projected incident is the same object while its file is)."""
    own: tuple[Any, ...]
    data: bytes


class RenderMemo:
    """Serve's memory of the last public render (one per server; not thread-safe)."""

    def __init__(self) -> None:
        self._values: dict[str, tuple[Any, Any]] = {}
        self._pages: dict[str, _Page] = {}
        self._shared: dict[tuple[str, frozenset[str]], object] = {}
        self.bytecode = _Bytecode()
        self._reads: dict[str, Reads] = {}
        self.rendered = 0
        """Pages rendered (not reused) by the last render, for tests and benchmarks."""
        self._used: set[str] = set()
        """Pages and values this render asked for; :meth:`end` forgets the others."""
        self.texts: object = None
        """The language's :class:`~statuspress.i18n.Texts` this memo was made for."""
        self._languages: dict[tuple[str, bool], RenderMemo] = {}
        self.paths: dict[str, Claim] = {}
        """The writer's checks of each path (:attr:`statuspress.writer.SiteWriter.paths`)."""
        self._used_languages: set[tuple[str, bool]] = set()

    def begin(self) -> None:
        self.rendered = 0
        self._used = set()
        self._used_languages = set()

    def for_language(self, tag: str, root: bool, texts: object) -> RenderMemo:
        """The memo of one language's render (at the site's root or under ``<tag>/``).

        A language's messages are compiled into its templates and its labels and dates differ,
        so each language keeps its own values, pages and compiled templates; a changed catalog
        (another ``texts`` object, see :func:`statuspress.i18n.texts_for`) starts afresh.
        """
        key = (tag, root)
        child = self._languages.get(key)
        if child is None or child.texts is not texts:
            child = self._languages[key] = RenderMemo()
            child.texts = texts
        child.begin()
        self._used_languages.add(key)
        return child

    def get(self, slot: str, key: Any, make: Callable[[], T]) -> T:
        """The value in ``slot`` if it was made from an equal key, else ``make()``."""
        self._used.add(slot)
        last = self._values.get(slot)
        if last is not None and last[0] == key:
            value: T = last[1]
            return value
        value = make()
        self._values[slot] = (key, value)
        return value

    def per_incident(
        self,
        slot: str,
        incidents: Iterable[PublicIncident],
        key: Any,
        make: Callable[[PublicIncident], T],
    ) -> list[T]:
        """``make(incident)`` for each incident, in order: last render's value for an incident
        that is the same object as last time (and ``key`` equal), so after one edit only the
        edited incident's is made again. Projected incidents are never changed in place."""
        known: dict[str, tuple[PublicIncident, T]] = self.get(slot, key, dict)
        fresh = {}
        for inc in incidents:
            last = known.get(inc.id)
            fresh[inc.id] = last if last is not None and last[0] is inc else (inc, make(inc))
        known.clear()
        known.update(fresh)
        return [value for _, value in fresh.values()]

    def reads(self, env: jinja2.Environment, name: str) -> Reads:
        """:func:`template_reads`, parsed again only when a template's source changed."""
        last = self._reads.get(name)
        # Absent templates too: an optional include that appears changes what is read.
        if last is not None and all(_source(env, n) == text for n, text in last.sources):
            return last
        found = self._reads[name] = template_reads(env, name)
        return found

    def canonical(self, slot: str, value: T) -> T:
        """``value``, or the last object given for ``slot`` when equal to it: later keys that
        hold it compare by identity, so it is compared in full once a render."""
        last = self._values.get("canonical:" + slot)
        if last is not None and last[1] == value:
            kept: T = last[1]
            return kept
        self._values["canonical:" + slot] = (None, value)
        return value

    def settings(self, site: PublicSite) -> tuple[Any, ...]:
        """:func:`settings` of ``site``, canonical."""
        return self.canonical("settings", settings(site))

    def shared_key(self, template: str, page_names: frozenset[str], key: object) -> object:
        """``key`` canonicalised: the last build's object when equal (one comparison a build)."""
        slot = (template, page_names)
        last = self._shared.get(slot)
        if last is not None and last == key:
            return last
        self._shared[slot] = key
        return key

    def page(
        self,
        url: str,
        template: str,
        shared: object,
        values: dict[str, Any],
        own: Callable[[], tuple[Any, ...]],
        render: Callable[[], str],
    ) -> bytes:
        """The page at ``url``, rendered again unless what it reads is equal to last time.

        ``values``: the page's own context values; ``own()``: what its templates read of
        them. The same values (:func:`_same`) give the same reads, so those are looked up only
        when the values differ (5,800 incident pages at 10,000 incidents, one of them edited).
        Projected incidents are frozen and never changed in place.
        """
        self._used.add(url)
        last = self._pages.get(url)
        if last is not None and last.template == template and last.shared is shared:
            if _same(last.values, values):
                return last.data
            reads = own()
            if last.own == reads:
                last.values = values
                return last.data
        else:
            reads = own()
        data = render().encode("utf-8")
        self.rendered += 1
        self._pages[url] = _Page(template, shared, values, reads, data)
        return data

    def touch(self, slots: Iterable[str]) -> None:
        """Keep these slots for the next render, though this one did not ask for them: the
        parts of an output reused whole (when it is made again, most parts are the same)."""
        self._used.update(slots)

    def unchanged(self, slot: str, key: Any) -> bool:
        """Whether ``key`` equals the one given for ``slot`` by the last render (then kept)."""
        self._used.add(slot)
        last = self._values.get(slot)
        self._values[slot] = (key, None)
        return last is not None and last[0] == key

    def same_page(self, url: str, shared: object, name: str, value: object) -> bytes | None:
        """The page at ``url`` if its last render had this ``shared`` key and the very object
        ``value`` as its value ``name``; the caller vouches that its other values follow
        from these (see :meth:`statuspress.public.pages.Renderer._kept_incident_page`)."""
        last = self._pages.get(url)
        if last is None or last.shared is not shared or last.values.get(name) is not value:
            return None
        self._used.add(url)
        return last.data

    def end(self) -> None:
        """Forget what this render did not ask for (a deleted incident's page and entries)."""
        for key in list(self._languages):
            if key in self._used_languages:
                child = self._languages[key]
                child.end()
                self.rendered += child.rendered
            else:
                del self._languages[key]
        for url in set(self._pages) - self._used:
            del self._pages[url]
        for slot in set(self._values) - self._used:
            if not slot.startswith("canonical:"):
                del self._values[slot]


_PLAIN = (str, int, bool, type(None))


def _same(last: dict[str, Any], new: dict[str, Any]) -> bool:
    """The same page values: each the same object, or an equal string, number or None.

    Identity, never ``==`` on objects: a dataclass may leave fields out of its equality, and
    comparing a month's or a service's views in full costs what the reads would.
    """
    if last.keys() != new.keys():
        return False
    return all(_same_value(last[name], value) for name, value in new.items())


def _same_value(old: Any, value: Any) -> bool:
    """The same object, an equal string, number or None, or both an empty list."""
    if old is value:
        return True
    kind = type(value)
    if kind is not type(old):
        return False
    return (kind in _PLAIN and old == value) or (kind is list and not old and not value)


class _Bytecode(jinja2.BytecodeCache):
    """Compiled templates kept in memory across renders (checked against the source)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()
