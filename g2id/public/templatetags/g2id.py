from __future__ import annotations

from django import template
from django.urls import translate_url
from django.utils.safestring import SafeString

from g2id.lib.rich_text import render_markdown

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_language(context: template.Context, language: str) -> str:
    """The address of the current page in another language (the home page if it has none)."""
    request = context.get("request")
    if request is None:
        return "/" if language == "fr" else f"/{language}/"
    return translate_url(request.get_full_path(), language)


@register.filter
def markdown(text: str) -> SafeString:
    """Render user Markdown as cleaned HTML."""
    return render_markdown(text)
