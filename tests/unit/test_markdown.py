from html.parser import HTMLParser

import pytest

from chalicelib.domain.markdown import render_markdown


class _Elements(HTMLParser):
    """The real elements and attributes of a fragment (escaped text is not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


def test_formatting_people_type_becomes_markup() -> None:
    html = render_markdown("**bold** and *it* and `code`\n\n- one\n- two\n\n~~gone~~")
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<code>code</code>" in html
    assert "<ul>" in html and "<li>one</li>" in html and "<s>gone</s>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="https://x" onclick="alert(1)">x</a>',
        "![pixel](javascript:alert(1))",
    ],
)
def test_nothing_executable_survives(source: str) -> None:
    for tag, attributes in elements(render_markdown(source)):
        assert tag != "script"
        assert not [name for name in attributes if name.startswith("on")]
        for url in (attributes.get("href", ""), attributes.get("src", "")):
            assert url == "" or url.lower().startswith(("http:", "https:", "mailto:"))


def test_links_do_not_hand_over_the_opener() -> None:
    html = render_markdown("[docs](https://example.com/help)")
    assert '<a href="https://example.com/help" rel="noopener noreferrer nofollow">docs</a>' in html
