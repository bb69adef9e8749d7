"""Markdown written by people (replies, articles, macros) rendered to HTML that is safe to show.

Two locks, so one failing does not open the door: markdown-it renders CommonMark with raw HTML
switched off (``<script>`` in the source stays text), and nh3 then keeps only an allow-list of
tags, attributes and URL schemes (no ``javascript:``, no event handlers, no styles).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td", "img",
    }
)  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
_SCHEMES = frozenset({"http", "https", "mailto"})


@cache
def _renderer() -> MarkdownIt:
    # Imported here: most requests render no Markdown, and a cold start should not load a parser for them.
    from markdown_it import MarkdownIt

    # "js-default" is CommonMark with html disabled and linkify off: nothing in the source becomes
    # markup except what Markdown itself means. Tables and strikethrough are the GFM bits people type.
    return MarkdownIt("js-default").enable(["table", "strikethrough"])


def render_markdown(source: str) -> str:
    """Sanitised HTML for a Markdown source; links open in a new context without the opener."""
    import nh3

    return nh3.clean(
        _renderer().render(source),
        tags=set(_TAGS),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        url_schemes=set(_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
