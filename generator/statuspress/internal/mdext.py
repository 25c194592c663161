"""A Python-Markdown extension that passes statuspress's generated HTML through untouched.

The generated pages wrap each ready-made HTML block (tables, fact lines, timelines) in
``<!-- statuspress:html -->`` ... ``<!-- /statuspress:html -->``. With this extension enabled
(``markdown_extensions: [statuspress.internal.mdext]`` in mkdocs.yml) the block is stored in
Python-Markdown's HTML stash before any other processing, so neither the HTML block parser nor
the inline patterns scan it: on a 10,000-incident history that is most of the text. Without the
extension the markers are plain HTML comments and the block is read as ordinary raw HTML, with
the same result, only slower.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

OPEN = "<!-- statuspress:html -->"
CLOSE = "<!-- /statuspress:html -->"


class _StashGenerated(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            if line == OPEN:
                try:
                    end = lines.index(CLOSE, index + 1)
                except ValueError:  # an unclosed marker (a hand-written page?): leave it alone
                    out.append(line)
                    index += 1
                    continue
                html = "\n".join(lines[index + 1 : end])
                # A placeholder alone in its paragraph becomes the block again at the end.
                out += ["", self.md.htmlStash.store(html), ""]
                index = end + 1
            else:
                out.append(line)
                index += 1
        return out


class GeneratedHtmlExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        # After whitespace normalisation (30), before the raw HTML block parser (20).
        md.preprocessors.register(_StashGenerated(md), "statuspress_html", 25)


def makeExtension(**kwargs: Any) -> GeneratedHtmlExtension:  # noqa: N802 (entry point name)
    return GeneratedHtmlExtension(**kwargs)
