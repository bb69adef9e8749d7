"""Templates: a fixed set of placeholders, checked when saved; nothing else gets through the sandbox."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.templates import (
    PLACEHOLDERS,
    SAMPLE_CONTEXT,
    TemplateProblem,
    check_template,
    context_for,
    render_template,
)

CONTEXT = context_for(
    number=42,
    subject="Printer on fire",
    status="open",
    priority="high",
    queue="support",
    channel="email",
    tags=("hardware", "vip"),
    requester_name="Ada Lovelace",
    requester_email="ada@example.com",
    agent_name="Grace Hopper",
    agent_email="grace@example.com",
)


def test_fills_in_every_placeholder() -> None:
    text = (
        "Hi {{ requester.first_name }}, about #{{ ticket.number }} ({{ ticket.subject }}, "
        "{{ ticket.priority }}, {{ ticket.tags }}) — {{ agent.name }} <{{ agent.email }}> to {{ requester.email }}"
    )
    assert render_template(text, CONTEXT) == (
        "Hi Ada, about #42 (Printer on fire, high, hardware, vip) — Grace Hopper <grace@example.com> to ada@example.com"
    )


def test_conditions_and_harmless_filters_are_allowed() -> None:
    text = "{% if ticket.priority == 'high' %}Urgent: {% else %}FYI: {% endif %}{{ requester.name|upper }}"
    assert render_template(text, CONTEXT) == "Urgent: ADA LOVELACE"


def test_html_is_not_escaped_here_the_markdown_renderer_sanitises() -> None:
    context = context_for(**{**_kwargs(), "subject": "a & b <c>"})
    assert render_template("{{ ticket.subject }}", context) == "a & b <c>"


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("{{ customer.name }}", "unknown placeholder 'customer'"),
        ("{{ ticket.secret }}", "unknown placeholder 'ticket.secret'"),
        ("{{ ''.__class__ }}", "not a placeholder"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "may not"),
        ("{{ ticket.__class__ }}", "unknown placeholder 'ticket.__class__'"),
        ("{{ ticket['number'] }}", "Getitem"),
        ("{{ ticket }}", "on its own"),
        ("{{ 'a' * 1000000000 }}", "Mul"),
        ("{{ 9 ** 999999 }}", "Pow"),
        ("{% for i in range(100000) %}x{% endfor %}", "For"),
        ("{% set x = 1 %}", "Assign"),
        ("{{ cycler }}", "'cycler' on its own"),
        ("{{ cycler.next }}", "unknown placeholder 'cycler'"),
        ("{{ 9 ** 99999999999 }}", "Pow"),
        ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "nested too deeply"),
        ("{{ ticket.subject|center(1000000000) }}", "filter 'center'"),
        ("{% include 'x' %}", "Include"),
        ("{{ ticket.number", "not a valid template"),
        ("{% if ticket.subject is callable %}x{% endif %}", "test 'callable'"),
        ("{{ lipsum() }}", "Call"),
    ],
)
def test_refused_when_saved_naming_why(source: str, says: str) -> None:
    with pytest.raises(TemplateProblem, match=says.replace("(", r"\(").replace("[", r"\[")):
        check_template(source)


def test_too_long_is_refused() -> None:
    with pytest.raises(TemplateProblem, match="longer than"):
        check_template("x" * 20_001)


@given(st.text(alphabet=st.characters(blacklist_characters="{}%#"), max_size=200))
def test_text_without_template_syntax_renders_as_itself(text: str) -> None:
    check_template(text)
    # Jinja writes every line break as \n (what a browser's textarea sends anyway)
    assert render_template(text, SAMPLE_CONTEXT) == text.replace("\r\n", "\n").replace("\r", "\n")


@given(st.sampled_from(sorted(PLACEHOLDERS)), st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True))
def test_a_field_is_accepted_exactly_when_it_is_listed(root: str, field: str) -> None:
    source = f"{{{{ {root}.{field} }}}}"
    if field in PLACEHOLDERS[root]:
        check_template(source)
    else:
        with pytest.raises(TemplateProblem, match="unknown placeholder"):
            check_template(source)


@given(st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True))
def test_a_root_is_accepted_only_when_listed(name: str) -> None:
    source = f"{{{{ {name}.name }}}}"
    if name in PLACEHOLDERS and "name" in PLACEHOLDERS[name]:
        check_template(source)
    else:
        with pytest.raises(TemplateProblem):
            check_template(source)


def _kwargs() -> dict[str, object]:
    return {
        "number": 1,
        "subject": "s",
        "status": "open",
        "priority": "normal",
        "queue": "support",
        "channel": "web",
        "tags": (),
        "requester_name": "R",
        "requester_email": "r@example.com",
    }
