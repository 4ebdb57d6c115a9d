from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from g2id.interventions.models import Intervention, Survey, TransferRecord
from g2id.realisations.models import Deliverable
from g2id.realisations.services import add_deliverable
from tests.factories import file_request


@pytest.fixture
def intervention(member) -> Intervention:
    return Intervention.objects.create(request=file_request(systems="Koha 23.11"), lead=member)


def make_deliverable(intervention, member, *, reusable=True, title="Script de relances", **kwargs):
    upload = kwargs.pop("upload", None)
    url = kwargs.pop("repository_url", "" if upload else "https://forge.example.fr/relances")
    return add_deliverable(
        intervention,
        Deliverable(
            title=title,
            type=kwargs.pop("type", "script"),
            licence=kwargs.pop("licence", "MIT"),
            how_to=kwargs.pop("how_to", "Lancer `relances.sh` chaque nuit."),
            reusable=reusable,
        ),
        version_label="1.0",
        repository_url=url,
        upload=upload,
        by=member,
    )


def text_file(name="notice.txt", content=b"Mode d'emploi du script.\n"):
    return SimpleUploadedFile(name, content, content_type="text/plain")


def consent(intervention, *, anonymise: bool) -> Survey:
    return Survey.objects.create(
        intervention=intervention,
        expires_at=timezone.now() + datetime.timedelta(days=30),
        answered_at=timezone.now(),
        score=5,
        consent_case_study=True,
        anonymise=anonymise,
    )


def transfer(intervention) -> TransferRecord:
    return TransferRecord.objects.create(
        intervention=intervention,
        what_taught="Paramétrer les lettres de relance et lire les journaux du cron.",
        taught_to="deux catalogueurs, la responsable SIGB",
        through_sessions=True,
    )
