from __future__ import annotations

import re

from django import template

from g2id.requests.models import Status

register = template.Library()

# Characters that would turn a library's text into Markdown formatting or links.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~>])")
# "@channel", "@all", "<!here>"… : a word joiner after @ and < keeps them from pinging anyone.
MENTION = re.compile(r"([@<])(?=[\w!#@])")


@register.filter
def md(text: object) -> str:
    """Outside text made inert in the digest's Markdown: one line, no formatting, no mention."""
    line = " ".join(str(text).split())
    return MENTION.sub("\\1\u2060", MARKDOWN_SPECIAL.sub(r"\\\1", line))


@register.filter
def status_label(value: str) -> str:
    """A status (or a decision's outcome, which is one) as the history names it."""
    return str(Status(value).label)
