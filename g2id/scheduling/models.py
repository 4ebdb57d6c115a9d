"""What the scheduler has run: one row per job, with the last slot it was run for."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """A job's last due slot. The row is locked while a scheduler claims a slot, and the
    unique job name keeps one row per job: two schedulers never run the same slot."""

    job = models.CharField(_("job"), max_length=50, unique=True)
    last_slot = models.DateTimeField(_("last slot run"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    failed = models.BooleanField(_("failed"), default=False)

    class Meta:
        ordering = ["job"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self) -> str:
        return f"{self.job} @ {self.last_slot:%Y-%m-%d %H:%M}"
