"""The cells and domains a request is filed with, read once until one of them changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from g2id.public.cache import PAGE_TIMEOUT, PUBLIC_PAGES
from g2id.taxonomy.models import Domain
from g2id.team.models import Cell

KEY = "g2id:filing-choices"


@dataclass(frozen=True)
class FilingChoices:
    """Shared by the requests of a process: read them, never change them."""

    cells: tuple[Cell, ...]
    domains: Mapping[str, Domain]  # by code

    @property
    def default_cell(self) -> Cell:
        """Where a request goes when none is chosen: the national cell (seeded), else the first."""
        if not self.cells:
            raise Cell.DoesNotExist("G2ID has no cell yet.")
        by_pk = sorted(self.cells, key=lambda cell: cell.pk)
        return next((cell for cell in by_pk if cell.is_national), by_pk[0])


def filing_choices() -> FilingChoices:
    """The cells and domains, kept under the public pages' version (which any change to a cell
    or a domain renews): no query for them in a submission, but after such a change."""
    return PUBLIC_PAGES.remembered(KEY, _read, PAGE_TIMEOUT)


def _read() -> FilingChoices:
    return FilingChoices(
        cells=tuple(Cell.objects.all()),
        domains={domain.code: domain for domain in Domain.objects.select_related("family")},
    )
