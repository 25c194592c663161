"""The Jinja environment of the internal site's pages: Markdown templates, escaped by default.

Every page of the knowledge base is a template in ``internal/templates/`` (``home.md``,
``incident.md`` ...). A site replaces one by putting a file of the same name in the
``internal/`` folder of its ``theme_dir``; ``default:NAME`` always names the built-in template,
so an override can include or extend it. Python computes what a page shows (sorted lists,
numbers, links, the HTML tables of :mod:`.html`); the template decides what the page says.

Escaping: every ``{{ value }}`` is written through :func:`.mdtext.esc` (Markdown and HTML
specials neutralised, one line), unless the value is :class:`markupsafe.Markup`: the helpers
that build links, tables and front matter return Markup, made from escaped parts. So a title,
name or owner printed by a template can never open a link, raw HTML or a table cell, whatever a
template author forgets; ``|safe`` is the explicit way out for trusted text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from markupsafe import Markup

from ..errors import BuildError
from ..jinjaenv import OPTIONS, Environment, overridable, syntax_error
from . import mdtext

TEMPLATES = Path(__file__).parent / "templates"
"""The built-in page templates (shipped inside the package)."""
OVERRIDES = "internal"
"""The sub-folder of a site's ``theme_dir`` that holds its internal template overrides."""


def finalize(value: object) -> object:
    """What ``{{ value }}`` writes: Markup as is, numbers as digits, anything else escaped."""
    if isinstance(value, Markup):
        return value
    if type(value) is int:
        return str(value)
    return mdtext.esc(value)  # type: ignore[arg-type]


def _safe(value: object) -> Markup:
    return Markup(value)


def _indent(text: object) -> Markup:
    """An admonition body: four spaces before each line, blank lines kept blank."""
    return Markup(mdtext.indent(str(text)))


def _quote(title: object) -> Markup:
    """A title inside double quotes (admonitions): escaped, and no quote can end it early."""
    return Markup(finalize(title)).replace('"', "&quot;")


def markup(fn: Callable[..., str]) -> Callable[..., Markup]:
    """A Markdown-building helper whose result is trusted (its parts are escaped inside)."""

    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Markup:
        return Markup(fn(*args, **kwargs))

    return wrapped


def make_env(theme_dir: Path | None, globals_: dict[str, Any]) -> jinja2.Environment:
    """The environment: the site's ``theme_dir/internal`` first, then the built-ins."""
    overrides = theme_dir / OVERRIDES if theme_dir is not None else None
    env = Environment(
        loader=overridable(TEMPLATES, overrides if overrides and overrides.is_dir() else None),
        # Markdown, not HTML: escaping is `finalize` (Markdown and HTML specials), see above.
        autoescape=False,
        finalize=finalize,
        **OPTIONS,
    )
    env.filters["safe"] = _safe
    env.filters["indent"] = _indent
    env.filters["quote"] = _quote
    env.globals.update(globals_)
    return env


class Templates:
    """Every page template compiled once per build; rendering errors name the template line."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._cache: dict[str, jinja2.Template] = {}

    def load_all(self) -> None:
        """Compile every template now, so a broken override stops the build before any page."""
        for name in sorted(self.env.list_templates()):
            if not name.startswith("default:"):
                self.get(name)

    def get(self, name: str) -> jinja2.Template:
        template = self._cache.get(name)
        if template is None:
            try:
                template = self._cache[name] = self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                raise syntax_error(exc, "internal template") from None
            except jinja2.TemplateNotFound as exc:
                raise BuildError(f"internal template {exc.name} not found") from None
        return template

    def render(self, template_name: str, /, **context: Any) -> str:
        name = template_name
        template = self.get(name)
        try:
            return template.render(context)
        except jinja2.TemplateSyntaxError as exc:  # an {% include %} of a broken file
            raise syntax_error(exc, "internal template") from None
        except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError,
                ArithmeticError, IndexError) as exc:  # fmt: skip
            # What a template author's expression can raise: name the line, not a traceback.
            where = _template_line(exc.__traceback__) or template.filename or name
            raise BuildError(f"internal template {where}: {type(exc).__name__}: {exc}") from None


def _frames(tb: TracebackType | None) -> Iterator[TracebackType]:
    while tb is not None:
        yield tb
        tb = tb.tb_next


def _template_line(tb: TracebackType | None) -> str:
    """``path:line`` of the innermost template frame (Jinja maps its frames to the source)."""
    found = ""
    for frame in _frames(tb):
        filename = frame.tb_frame.f_code.co_filename
        if filename.endswith(".md") and Path(filename).is_file():
            found = f"{filename}:{frame.tb_lineno}"
    return found
