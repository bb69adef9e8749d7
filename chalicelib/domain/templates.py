"""Texts people write once and Pulsedesk fills in for a ticket: macro replies, rule notes and emails.

Jinja2's ``SandboxedEnvironment`` renders them with a fixed set of placeholders (``PLACEHOLDERS``).
A template is checked when it is saved, so a mistake is a 422 then and never a failed rule later:
- it must parse;
- it may only read ``{{ root.field }}`` for a known root and field (``{{ ticket.number }}``,
  ``{{ requester.name }}``...), use ``if``/``else`` on them and a few harmless filters;
- anything else is refused by name: an unknown placeholder, an attribute of anything but a root
  (``{{ ''.__class__ }}``, the classic sandbox escape), a call, a loop, arithmetic (``'a' * 10**9``
  would exhaust memory: the sandbox does not limit operators), an unlisted filter.
Rendering uses ``StrictUndefined`` and the sandbox as a second lock. Pure code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import nodes
    from jinja2.sandbox import SandboxedEnvironment

# Jinja2 is imported where a template is checked or filled in: it is a fifth of a cold start's imports,
# and most requests never touch a template.

MAX_TEMPLATE_LENGTH = 20_000

PLACEHOLDERS: Mapping[str, tuple[str, ...]] = {
    "ticket": ("number", "subject", "status", "priority", "queue", "channel", "tags"),
    "requester": ("name", "first_name", "email"),
    "agent": ("name", "first_name", "email"),
}

# Text filters that cannot grow their input beyond the template's own constants.
ALLOWED_FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "default", "truncate", "striptags"})


@cache
def _allowed_nodes() -> tuple[type[nodes.Node], ...]:
    """The node types a template may contain; everything else (For, Call, Mul, Pow, Getitem, Macro,
    Include, Import, Set...) is refused. Getattr and Filter are checked further below."""
    from jinja2 import nodes

    return (
        nodes.Template,
        nodes.Output,
        nodes.TemplateData,
        nodes.Const,
        nodes.Name,
        nodes.Getattr,
        nodes.Filter,
        nodes.If,
        nodes.CondExpr,
        nodes.Compare,
        nodes.Operand,
        nodes.And,
        nodes.Or,
        nodes.Not,
        nodes.Test,
        nodes.Concat,
    )


_ALLOWED_TESTS = frozenset({"defined", "none", "number", "string", "eq", "ne", "in"})


class TemplateProblem(ValueError):
    """Why a template cannot be saved; the message is shown to the person who wrote it."""


@dataclass(frozen=True)
class TemplateContext:
    """The values a template is filled with: one mapping per root of ``PLACEHOLDERS``."""

    ticket: Mapping[str, object]
    requester: Mapping[str, object]
    agent: Mapping[str, object]

    def as_dict(self) -> dict[str, Mapping[str, object]]:
        return {"ticket": self.ticket, "requester": self.requester, "agent": self.agent}


def _first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else ""


def context_for(
    *,
    number: int,
    subject: str,
    status: str,
    priority: str,
    queue: str,
    channel: str,
    tags: tuple[str, ...],
    requester_name: str,
    requester_email: str,
    agent_name: str = "",
    agent_email: str = "",
) -> TemplateContext:
    return TemplateContext(
        ticket={
            "number": number,
            "subject": subject,
            "status": status,
            "priority": priority,
            "queue": queue,
            "channel": channel,
            "tags": ", ".join(tags),
        },
        requester={"name": requester_name, "first_name": _first_name(requester_name), "email": requester_email},
        agent={"name": agent_name, "first_name": _first_name(agent_name), "email": agent_email},
    )


SAMPLE_CONTEXT = context_for(
    number=1,
    subject="Sample subject",
    status="open",
    priority="normal",
    queue="support",
    channel="email",
    tags=("sample",),
    requester_name="Sam Sample",
    requester_email="sam@example.com",
    agent_name="Alex Agent",
    agent_email="alex@example.com",
)


def check_template(source: str) -> None:
    """Raises ``TemplateProblem`` naming what is wrong with ``source``; returns if it may be saved."""
    from jinja2 import TemplateError, TemplateSyntaxError, meta, nodes

    if len(source) > MAX_TEMPLATE_LENGTH:
        raise TemplateProblem(f"is longer than {MAX_TEMPLATE_LENGTH} characters")
    try:
        tree = _environment().parse(source)
    except TemplateSyntaxError as error:
        raise TemplateProblem(f"is not a valid template (line {error.lineno}: {error.message})") from None
    except RecursionError:
        raise TemplateProblem("is nested too deeply") from None
    # The node walk comes first: jinja2.meta compiles the template, and compiling folds constants,
    # so '9 ** 99999999' would be computed by the check itself.
    read_fields = {id(n.node) for n in tree.find_all(nodes.Getattr)}
    for node in tree.find_all(nodes.Node):
        _check_node(node)
        if isinstance(node, nodes.Name) and id(node) not in read_fields:
            raise TemplateProblem(f"uses '{node.name}' on its own; use one of its fields: {_known()}")
    unknown = sorted(meta.find_undeclared_variables(tree) - set(PLACEHOLDERS))
    if unknown:
        raise TemplateProblem(f"uses an unknown placeholder '{unknown[0]}'; known: {_known()}")
    try:  # the static checks should make this impossible to fail; the sandbox stays the last word
        _render(source, SAMPLE_CONTEXT)
    except TemplateError as error:
        raise TemplateProblem(f"cannot be filled in ({error.message})") from None


def render_template(source: str, context: TemplateContext) -> str:
    """``source`` filled in for ``context``. ``source`` passed ``check_template`` when it was saved;
    one that no longer does (a placeholder was retired since) raises ``TemplateProblem``."""
    from jinja2 import TemplateError

    check_template(source)
    try:
        return _render(source, context)
    except TemplateError as error:
        raise TemplateProblem(f"cannot be filled in ({error.message})") from None


def _render(source: str, context: TemplateContext) -> str:
    return _environment().from_string(source).render(context.as_dict())


def _check_node(node: nodes.Node) -> None:
    from jinja2 import nodes

    if not isinstance(node, _allowed_nodes()):
        raise TemplateProblem(f"uses '{type(node).__name__}', which templates may not; use {_known()}")
    if isinstance(node, nodes.Getattr):
        target = node.node
        if isinstance(target, nodes.Name) and target.name not in PLACEHOLDERS:
            raise TemplateProblem(f"uses an unknown placeholder '{target.name}'; known: {_known()}")
        if not isinstance(target, nodes.Name):
            raise TemplateProblem(f"reads '.{node.attr}' of something that is not a placeholder; use {_known()}")
        if node.attr not in PLACEHOLDERS[target.name]:
            raise TemplateProblem(f"uses an unknown placeholder '{target.name}.{node.attr}'; known: {_known()}")
    if isinstance(node, nodes.Name) and node.ctx != "load":
        raise TemplateProblem(f"assigns '{node.name}', which templates may not")
    if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
        raise TemplateProblem(f"uses the filter '{node.name}'; allowed: {', '.join(sorted(ALLOWED_FILTERS))}")
    if isinstance(node, nodes.Test) and node.name not in _ALLOWED_TESTS:
        raise TemplateProblem(f"uses the test '{node.name}'; allowed: {', '.join(sorted(_ALLOWED_TESTS))}")


def _known() -> str:
    return ", ".join(f"{{{{ {root}.{field} }}}}" for root, fields in PLACEHOLDERS.items() for field in fields)


@cache
def _environment() -> SandboxedEnvironment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    # Replies are Markdown shown as text or through the sanitising renderer, never as raw HTML, so
    # escaping here would only corrupt "&" and "<" in a subject.
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
