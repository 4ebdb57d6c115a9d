"""A person's own profile: identity, biography, photo checked by its content, skills."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from g2id.taxonomy.models import Domain
from g2id.team.models import Skill
from tests.factories import UserFactory

PROFILE = "/espace/profil/"
SKILLS = "/espace/profil/competences/"


def png(size: tuple[int, int] = (40, 40), *, name: str = "moi.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def profile_data(**fields) -> dict:
    return {
        "first_name": "Claire",
        "last_name": "Dubois",
        "email": "claire@example.org",
        "bio": "Administratrice Koha depuis dix ans.",
        "keywords": "Koha, PMB",
        **fields,
    }


@pytest.fixture
def logged_member(client, member):
    client.force_login(member)
    return member


def errors_on(response, field: str, form: str = "form") -> list[str]:
    return [str(error) for error in response.context[form].errors.get(field, [])]


def test_the_profile_needs_a_login(client):
    for response in (client.get(PROFILE), client.post(PROFILE, profile_data())):
        assert response.status_code == 302
        assert response.url.startswith("/connexion/")
    assert client.post(SKILLS, {"domain": "A1", "level": "2"}).status_code == 302
    assert not Skill.objects.exists()


def test_a_member_edits_their_own_profile_and_sees_the_public_link(client, logged_member):
    page = client.get(PROFILE).content.decode()
    assert f'href="/equipe/{logged_member.slug}/"' in page
    response = client.post(PROFILE, profile_data(first_name="Clara", photo=png()))
    assert response.status_code == 302
    logged_member.refresh_from_db()
    assert logged_member.first_name == "Clara"
    assert logged_member.keyword_list == ["Koha", "PMB"]
    assert logged_member.photo.name.startswith("photos/")
    assert logged_member.photo.name.endswith(".png")


def test_someone_outside_any_cell_still_edits_their_own_profile(client, outsider):
    client.force_login(outsider)
    assert client.post(PROFILE, profile_data(email="intrus@example.org")).status_code == 302
    outsider.refresh_from_db()
    assert outsider.last_name == "Dubois"


def test_the_profile_takes_no_id_and_never_changes_someone_else(client, logged_member):
    other = UserFactory(first_name="Autre", email="autre@example.org")
    response = client.post(PROFILE, {**profile_data(first_name="Pirate"), "id": other.pk})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.first_name == "Autre"


def test_a_file_that_is_not_an_image_is_refused(client, logged_member):
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post(PROFILE, profile_data(photo=fake))
    assert response.status_code == 400
    assert "pas une image" in errors_on(response, "photo")[0]
    logged_member.refresh_from_db()
    assert not logged_member.photo
    assert logged_member.first_name == "Claire"  # nothing saved, not even the other fields


def test_a_photo_over_2_mb_is_refused(client, logged_member):
    # Random noise compresses badly: a 900x900 PNG of noise is well over 2 MB.
    noise = Image.frombytes("RGB", (900, 900), os.urandom(900 * 900 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert buffer.tell() > 2 * 1024 * 1024
    big = SimpleUploadedFile("grande.png", buffer.getvalue(), content_type="image/png")
    response = client.post(PROFILE, profile_data(photo=big))
    assert response.status_code == 400
    assert "trop lourde" in errors_on(response, "photo")[0]
    logged_member.refresh_from_db()
    assert not logged_member.photo


def test_an_image_in_another_format_is_refused(client, logged_member):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "BMP")
    bmp = SimpleUploadedFile("photo.bmp", buffer.getvalue(), content_type="image/bmp")
    response = client.post(PROFILE, profile_data(photo=bmp))
    assert response.status_code == 400
    assert "JPEG, PNG ou WebP" in errors_on(response, "photo")[0]


def test_an_email_already_used_by_another_account_is_refused(client, logged_member):
    UserFactory(email="prise@example.org")
    response = client.post(PROFILE, profile_data(email="Prise@example.org"))
    assert response.status_code == 400
    assert errors_on(response, "email")


# --- Skills ----------------------------------------------------------------------------------


def test_a_member_adds_changes_and_removes_a_skill(client, logged_member):
    assert client.post(SKILLS, {"domain": "A1", "level": "3"}).status_code == 302
    assert client.post(SKILLS, {"domain": "A1", "level": "1"}).status_code == 302
    skill = Skill.objects.get(person=logged_member)
    assert (skill.domain.code, skill.level) == ("A1", 1)
    assert "A1" in client.get(PROFILE).content.decode()
    assert client.post(f"{SKILLS}{skill.pk}/supprimer/").status_code == 302
    assert not Skill.objects.exists()


def test_an_unknown_domain_code_is_refused(client, logged_member):
    response = client.post(SKILLS, {"domain": "Z9", "level": "2"})
    assert response.status_code == 400
    assert "Code de domaine inconnu" in errors_on(response, "domain", "skill_form")[0]
    assert not Skill.objects.exists()


@pytest.mark.parametrize("level", ["0", "4", "-1", "expert", ""])
def test_a_level_outside_1_to_3_is_refused(client, logged_member, level):
    response = client.post(SKILLS, {"domain": "A1", "level": level})
    assert response.status_code == 400
    assert errors_on(response, "level", "skill_form")
    assert not Skill.objects.exists()


def test_a_member_cannot_remove_someone_elses_skill(client, logged_member):
    other = Skill.objects.create(person=UserFactory(), domain=Domain.objects.get(code="A1"))
    assert client.post(f"{SKILLS}{other.pk}/supprimer/").status_code == 404
    assert Skill.objects.filter(pk=other.pk).exists()


def test_removing_a_skill_needs_a_post(client, logged_member):
    mine = Skill.objects.create(person=logged_member, domain=Domain.objects.get(code="A1"))
    assert client.get(f"{SKILLS}{mine.pk}/supprimer/").status_code == 405
    assert Skill.objects.filter(pk=mine.pk).exists()
