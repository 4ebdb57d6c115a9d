"""Bench settings: the production settings of G2ID, plus the hello-world ceiling route."""

from g2id.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
