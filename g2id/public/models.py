from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCount(models.Model):
    """How many times one client used one rate-limited action in one window of time.

    A table of its own rather than the cache: the count of a submission is written in the
    transaction that files it, with two short statements (the database cache takes a
    dozen and two transactions of its own per count).
    """

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    window_ends_at = models.DateTimeField(_("end of the window"), db_index=True)

    class Meta:
        verbose_name = _("rate count")
        verbose_name_plural = _("rate counts")

    def __str__(self) -> str:
        return f"{self.key[:12]}…: {self.count}"
