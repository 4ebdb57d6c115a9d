"""Recording what a library says about its tools, without losing what the team already knows."""

from __future__ import annotations

from collections.abc import Mapping

from g2id.institutions.models import Institution, TechnicalProfile

PROFILE_FIELDS = ("ils", "ils_version", "portal", "network", "hosting", "has_it_support")


def record_library_profile(
    institution: Institution, values: Mapping[str, object]
) -> TechnicalProfile | None:
    """Update the profile with the values the library gave; a blank value erases nothing.

    A new ILS without a version drops the version known for the former ILS. Nothing given,
    nothing recorded (no empty profile is created).
    """
    given = {
        name: value
        for name, value in values.items()
        if name in PROFILE_FIELDS and value not in ("", None)
    }
    if not given:
        return None
    profile = TechnicalProfile.objects.filter(institution=institution).first()
    if profile is None:
        profile = TechnicalProfile(institution=institution)
    if "ils" in given and given["ils"] != profile.ils and "ils_version" not in given:
        profile.ils_version = ""
    for name, value in given.items():
        setattr(profile, name, value)
    profile.updated_by_party = TechnicalProfile.UpdatedBy.LIBRARY
    profile.updated_by = None
    profile.full_clean()
    profile.save()
    return profile
