"""Translated templates at no cost per page: messages are looked up when a template compiles.

Templates mark text the usual gettext ways, so ``pybabel extract`` finds it: ``{% trans %}``
blocks (with ``{% pluralize %}`` where a count decides) and ``_("...")`` calls. The public
site compiles its templates once per language (one Jinja environment each), so a message
without a count is the same on every page: this extension puts the translated text into the
compiled template instead of a gettext call, which keeps the 10,000 incident pages of a large
site as fast to render in German as in English. Plural forms and ``_()`` with arguments stay
ordinary gettext calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jinja2 import nodes
from jinja2.ext import InternationalizationExtension
from jinja2.lexer import TOKEN_LPAREN, TOKEN_NAME, TOKEN_RPAREN, TOKEN_STRING, Token, TokenStream

from ..i18n import Texts

GETTEXT_NAMES = ("_", "gettext")


class FoldedI18n(InternationalizationExtension):
    """Jinja's i18n extension; messages without a count are translated at compile time."""

    def _texts(self) -> Texts | None:
        texts: Texts | None = getattr(self.environment, "statuspress_texts", None)
        return texts

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        """``_("literal")`` becomes the translated literal before the template is parsed."""
        texts = self._texts()
        tokens = list(stream)
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if (
                texts is not None
                and tok.type == TOKEN_NAME
                and tok.value in GETTEXT_NAMES
                and i + 3 < len(tokens)
                and tokens[i + 1].type == TOKEN_LPAREN
                and tokens[i + 2].type == TOKEN_STRING
                and tokens[i + 3].type == TOKEN_RPAREN
                and not (i > 0 and tokens[i - 1].type == "dot")
            ):
                message = tokens[i + 2].value
                yield Token(tok.lineno, TOKEN_STRING, texts.gettext(message))
                i += 4
                continue
            yield tok
            i += 1

    def _make_node(
        self,
        singular: str,
        plural: str | None,
        context: str | None,
        variables: dict[str, nodes.Expr],
        plural_expr: nodes.Expr | None,
        vars_referenced: bool,
        num_called_num: bool,
    ) -> nodes.Output:
        texts = self._texts()
        if texts is None or plural_expr is not None:
            return super()._make_node(
                singular, plural, context, variables, plural_expr, vars_referenced, num_called_num
            )
        if not vars_referenced:
            singular = singular.replace("%%", "%")
        text = texts.pgettext(context, singular) if context else texts.gettext(singular)
        if not variables:
            return nodes.Output([nodes.MarkSafeIfAutoescape(nodes.Const(text))])
        inline = _inline(text, variables)
        if inline is not None:
            return nodes.Output(inline)
        pairs = [nodes.Pair(nodes.Const(k), v) for k, v in variables.items()]
        node = nodes.Mod(nodes.MarkSafeIfAutoescape(nodes.Const(text)), nodes.Dict(pairs))
        return nodes.Output([node])


_PLACEHOLDER = re.compile(r"(%\([A-Za-z_][A-Za-z0-9_]*\)s|%%)")


def _inline(text: str, variables: dict[str, nodes.Expr]) -> list[nodes.Node] | None:
    """``Started %(start)s`` as template text and the variable's expression, as if the
    template said ``Started {{ start }}`` (what ``Markup % dict`` would give, without the
    formatting at every render); None when the text is not that simple."""
    out: list[nodes.Node] = []
    for n, part in enumerate(_PLACEHOLDER.split(text)):
        if n % 2 == 0:
            if "%" in part:
                return None
            if part:
                out.append(nodes.TemplateData(part))
        elif part == "%%":
            out.append(nodes.TemplateData("%"))
        else:
            name = part[2:-2]
            if name not in variables:
                return None
            out.append(variables[name])
    return out


def install(env: Any, texts: Texts) -> None:
    """Give ``env`` the language of ``texts`` (before any template is loaded)."""
    env.statuspress_texts = texts
    env.install_gettext_translations(texts.translations, newstyle=False)
