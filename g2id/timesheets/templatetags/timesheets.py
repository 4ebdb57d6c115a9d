from django import template

from g2id.timesheets.durations import format_duration

register = template.Library()


@register.filter
def duration(minutes: int) -> str:
    """Minutes as the grid writes them: "1h30", "2h", "45 min"."""
    return format_duration(minutes) if minutes else "0h"
