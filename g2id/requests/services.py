"""Workflows that cross several models: filing a request, posting a message with files."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from g2id.institutions.models import Institution
from g2id.institutions.profiles import record_library_profile
from g2id.lib.isil import normalise_isil
from g2id.lib.uploads import CheckedFile, check_upload
from g2id.public.cache import TEAM_PAGES
from g2id.requests import notifications
from g2id.requests.choices import filing_choices
from g2id.requests.models import (
    Attachment,
    ConversationClosed,
    Message,
    Party,
    ReferenceSequence,
    Request,
    RequestEvent,
    Status,
)
from g2id.team.models import Cell

if TYPE_CHECKING:
    from g2id.accounts.models import User
    from g2id.taxonomy.models import Domain


@dataclass(frozen=True)
class LibraryDetails:
    """A library described by the requester, matched against known ones before creating it."""

    name: str
    city: str = ""
    postcode: str = ""
    kind: str = Institution.Kind.MUNICIPAL
    isil: str = ""


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str = ""
    role: str = ""


def known_library(details: LibraryDetails) -> Institution | None:
    """The known library with this ISIL, or this name and postcode."""
    if details.isil:
        known = Institution.objects.filter(isil=normalise_isil(details.isil)).first()
        if known:
            return known
    return (
        Institution.objects.annotate(lower_name=Lower("name"))
        .filter(lower_name=details.name.strip().lower(), postcode=details.postcode.strip())
        .first()
    )


def find_or_create_library(details: LibraryDetails) -> Institution:
    """The known library with this ISIL, or this name and postcode; otherwise a new one."""
    known = known_library(details)
    if known:
        if details.isil and not known.isil:
            known.isil = details.isil
            known.save()
        return known
    institution = Institution(
        name=details.name.strip(),
        city=details.city.strip(),
        postcode=details.postcode.strip(),
        kind=details.kind or Institution.Kind.MUNICIPAL,
        isil=details.isil or None,
    )
    institution.full_clean()
    institution.save()
    return institution


class NotAdmitted(Exception):
    """The submission was refused (the rate limit) and nothing was filed."""


def submit_request(
    *,
    library: Institution | LibraryDetails,
    contact: Contact,
    title: str,
    description: str,
    kind: str,
    domains: Sequence[Domain],
    systems: str = "",
    desired_start: datetime.date | None = None,
    desired_end: datetime.date | None = None,
    files: Sequence[UploadedFile] = (),
    language: str = "fr",
    submission_key: uuid.UUID | None = None,
    cell: Cell | None = None,
    technical_profile: Mapping[str, object] | None = None,
    admit: Callable[[], bool] | None = None,
) -> Request:
    """File a request: library, reference, files, history and receipt, all or nothing.

    `technical_profile` (what the library says about its tools) updates the library's profile;
    its blank values erase nothing.

    The same submission key twice returns the first request instead of filing a duplicate.

    `admit` is called first, in the same write transaction as the request (the rate limit
    counts the submission there: SQLite has one writer, so one transaction, not two); when
    it answers False, what it wrote is committed, nothing is filed and NotAdmitted is raised.
    """
    checked = [(upload, check_upload(upload)) for upload in files]
    now = timezone.now()
    # What only needs reading is read before the write transaction: on SQLite every
    # submission waits for the one before it to commit, so the shorter the better. A new
    # library, or one whose ISIL is to be recorded, is looked up again under the lock.
    cell = cell or filing_choices().default_cell
    if isinstance(library, LibraryDetails):
        known = known_library(library)
        if known is not None and (known.isil or not library.isil):
            library = known
    draft = Request(
        cell=cell,
        contact_name=contact.name,
        contact_email=contact.email,
        contact_phone=contact.phone,
        contact_role=contact.role,
        title=title,
        description=description,
        kind=kind,
        systems=systems,
        desired_start=desired_start,
        desired_end=desired_end,
        language=language,
        consent_at=now,
        submission_key=submission_key,
        submitted_at=now,
    )
    try:
        with transaction.atomic(), _files_removed_on_rollback() as stored:
            if admit is not None and not admit():
                request = None
            else:
                request = _file(
                    draft,
                    library=library,
                    domains=domains,
                    checked=checked,
                    stored=stored,
                    technical_profile=technical_profile,
                )
    except IntegrityError:
        # The same form posted twice at the same moment: the other post filed it first.
        earlier = Request.objects.filter(submission_key=submission_key).first()
        if submission_key is None or earlier is None:
            raise
        if admit is not None:  # its count went with the rollback: count this post again
            with transaction.atomic():
                admit()
        return earlier
    if request is None:
        raise NotAdmitted()
    return request


def _file(
    request: Request,
    *,
    library: Institution | LibraryDetails,
    domains: Sequence[Domain],
    checked: Sequence[tuple[UploadedFile, CheckedFile]],
    stored: list[Attachment],
    technical_profile: Mapping[str, object] | None,
) -> Request:
    """The writes of submit_request for its unsaved `request`, inside its transaction."""
    if request.submission_key is not None:
        # Inside the transaction: on SQLite, under its write lock, so a post sent twice at
        # once finds the first; on PostgreSQL the unique key catches that (IntegrityError).
        earlier = Request.objects.filter(submission_key=request.submission_key).first()
        if earlier is not None:
            return earlier
    # The reference first: its row lock queues simultaneous submissions, so the library
    # lookup below sees a library that another submission has just created.
    request.reference = ReferenceSequence.next_reference(
        timezone.localtime(request.submitted_at).year
    )
    institution = library if isinstance(library, Institution) else find_or_create_library(library)
    request.institution = institution
    request.save()
    # A new request has no domain yet: one INSERT, without the lookup of the ones already
    # there that `add` makes when m2m_changed has receivers (the page cache's). It sends
    # no signal: the bump is said here, free after the request's own save.
    through = Request.domains.through
    through.objects.bulk_create(
        [through(request_id=request.pk, domain_id=domain.pk) for domain in domains]
    )
    TEAM_PAGES.bump()
    if technical_profile:
        record_library_profile(institution, technical_profile)
    for upload, info in checked:
        _store_attachment(request, upload, info, party=Party.LIBRARY, message=None, stored=stored)
    RequestEvent.objects.create(
        request=request,
        to_status=Status.SUBMITTED,
        actor_party=Party.LIBRARY,
        created_at=request.submitted_at,
    )
    notifications.announce_request.enqueue(request.pk)
    return request


def post_message(
    *,
    request: Request,
    body: str,
    party: str,
    author: User | None = None,
    internal: bool = False,
    files: Sequence[UploadedFile] = (),
) -> Message:
    """Add a message (or an internal note) with its files; a library answer resumes the review."""
    checked = [(upload, check_upload(upload)) for upload in files]
    with transaction.atomic(), _files_removed_on_rollback() as stored:
        request.refresh_from_db(fields=["status"])
        if party == Party.LIBRARY and not request.library_may_write:
            raise ConversationClosed()
        message = Message.objects.create(
            request=request, author_party=party, author=author, body=body, is_internal=internal
        )
        for upload, info in checked:
            _store_attachment(request, upload, info, party=party, message=message, stored=stored)
        notifications.message_posted(message)
        if party == Party.LIBRARY and request.status == Status.NEEDS_INFO:
            request.resume_review(party=Party.LIBRARY)
    return message


@contextmanager
def _files_removed_on_rollback() -> Iterator[list[Attachment]]:
    """Files are not transactional: delete those written by a block that fails."""
    stored: list[Attachment] = []
    try:
        yield stored
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


def _store_attachment(
    request: Request,
    upload: UploadedFile,
    info: CheckedFile,
    *,
    party: str,
    message: Message | None,
    stored: list[Attachment],
) -> Attachment:
    attachment = Attachment(
        request=request,
        message=message,
        original_name=info.name,
        content_type=info.content_type,
        size=info.size,
        uploaded_by=party,
        is_internal=bool(message and message.is_internal),
    )
    attachment.file.save(info.name, upload, save=False)
    stored.append(attachment)
    attachment.save()
    return attachment
