"""A labelled evaluation set: is the right member, and the right partner, in the top 3?

Five members with distinct profiles serve the national cell; the partners are the shared
directory seeded by the migrations. Each request is one a French library could file, with
the member a coordinator would pick and the structure they would refer it to.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from g2id.suggestions.services import suggest
from tests.factories import InstitutionFactory, file_request, skilled_member

TOP = 3
FLOOR = 0.8


@dataclass(frozen=True)
class Case:
    title: str
    description: str
    domains: tuple[str, ...]
    systems: str
    member: str
    partner: str
    postcode: str = "69003"  # Lyon, Auvergne-Rhône-Alpes


CASES = [
    Case(
        "Relances en double dans Koha",
        "Depuis la mise à jour, les lettres de relance partent deux fois aux lecteurs.",
        ("A1",),
        "Koha 23.11",
        "sigb",
        "kohala",
    ),
    Case(
        "Règles de prêt différentes par annexe",
        "Nous voulons des durées de prêt différentes selon les sites du réseau.",
        ("A1", "A6"),
        "PMB 7",
        "sigb",
        "pmbservices",
    ),
    Case(
        "Import du fichier des lecteurs scolaires",
        "Chaque rentrée nous importons les élèves et les catégories de lecteurs se mélangent.",
        ("A2",),
        "Koha",
        "sigb",
        "kohala",
    ),
    Case(
        "Navette entre les médiathèques du réseau",
        "Paramétrer les transferts de documents entre six sites.",
        ("A6",),
        "Orphée",
        "sigb",
        "c3rb",
    ),
    Case(
        "Échanges avec la bibliothèque départementale",
        "Récupérer les notices et exemplaires prêtés par la BD selon la recommandation 995.",
        ("C3",),
        "Koha",
        "sigb",
        "bd",
        "35000",
    ),
    Case(
        "Conversion UNIMARC vers MARC21",
        "Notre nouveau logiciel attend du MARC21 : il faut convertir 40 000 notices.",
        ("B1",),
        "MarcEdit",
        "donnees",
        "bnf-abn",
    ),
    Case(
        "Récupérer les notices de la BnF en SRU",
        "Configurer le client SRU pour dériver les notices de la BnF au catalogage.",
        ("B2",),
        "Koha",
        "donnees",
        "bnf-abn",
    ),
    Case(
        "Aligner nos autorités auteurs sur IdRef",
        "Nos autorités locales doivent être liées aux notices IdRef.",
        ("B4",),
        "",
        "donnees",
        "abes",
    ),
    Case(
        "Ajouter les identifiants ARK aux notices",
        "Enrichir nos notices avec les ARK de la BnF.",
        ("B6",),
        "",
        "donnees",
        "bnf-abn",
    ),
    Case(
        "Se préparer à la transition bibliographique",
        "Comprendre RDA-FR et le modèle LRM avant de faire évoluer le catalogue.",
        ("B5",),
        "",
        "donnees",
        "bnf-abn",
    ),
    Case(
        "Import des notices Sudoc pour notre BU",
        "Automatiser la récupération de nos notices depuis le Sudoc.",
        ("B2",),
        "Sudoc",
        "donnees",
        "abes",
    ),
    Case(
        "Refonte du portail Bokeh",
        "Notre portail est vieillissant : revoir la page d'accueil et les sélections.",
        ("D1",),
        "Bokeh",
        "web",
        "biblibre",
    ),
    Case(
        "Facettes et pertinence de l'OPAC",
        "Les résultats de recherche remontent mal, il faut régler les facettes.",
        ("D2",),
        "Syracuse",
        "web",
        "archimed",
    ),
    Case(
        "Afficher les nouveautés sur le portail",
        "Mettre en avant les dernières acquisitions sur la page d'accueil.",
        ("D1", "D2"),
        "Decalog",
        "web",
        "decalog",
    ),
    Case(
        "Bibliothèque numérique patrimoniale",
        "Publier nos cartes postales anciennes numérisées.",
        ("F1",),
        "Omeka S",
        "web",
        "bnf-coop",
    ),
    Case(
        "Numérisation du fonds ancien",
        "Quels formats et quel protocole IIIF pour diffuser nos manuscrits ?",
        ("F2",),
        "",
        "web",
        "bnf-coop",
    ),
    Case(
        "Connexion unique aux ressources numériques",
        "Les usagers se reconnectent pour lire la presse : intégrer l'authentification au portail.",
        ("E3",),
        "Bokeh",
        "web",
        "carel",
    ),
    Case(
        "Requête SQL sur les prêts par section",
        "Extraire les prêts par section et par âge des lecteurs.",
        ("A4",),
        "Koha",
        "infra",
        "kohala",
    ),
    Case(
        "Mise à jour de notre Koha hébergé en interne",
        "Passer de la version 21.05 à 23.11 sur notre serveur.",
        ("A5",),
        "Koha",
        "infra",
        "kohala",
    ),
    Case(
        "Migration de PMB vers Koha",
        "Reprendre notices, exemplaires et lecteurs de PMB dans Koha.",
        ("C1",),
        "PMB, Koha",
        "infra",
        "biblibre",
    ),
    Case(
        "Mise à jour du SIGB Orphée",
        "Le passage à la nouvelle version d'Orphée bloque les imports.",
        ("A5",),
        "Orphée",
        "infra",
        "c3rb",
    ),
    Case(
        "Sauvegardes après une attaque informatique",
        "Notre serveur a été chiffré par un rançongiciel : revoir les sauvegardes.",
        ("H3",),
        "",
        "infra",
        "cybermalveillance",
    ),
    Case(
        "Postes publics et réservation de sessions",
        "Renouveler les postes de l'espace public numérique et gérer les réservations.",
        ("H1",),
        "",
        "infra",
        "anct",
    ),
    Case(
        "Wifi public de la médiathèque",
        "Mettre en place un wifi public filtré pour les usagers.",
        ("H2",),
        "",
        "infra",
        "opsn",
    ),
    Case(
        "Purge RGPD des comptes lecteurs inactifs",
        "Supprimer les lecteurs sans prêt depuis trois ans, comme le demande le RGPD.",
        ("J1", "A2"),
        "Koha",
        "juridique",
        "cnil",
    ),
    Case(
        "Licence des images numérisées",
        "Sous quelle licence publier nos images du domaine public ?",
        ("J2",),
        "",
        "juridique",
        "etalab",
    ),
    Case(
        "Rapport annuel NeoScrib",
        "Extraire du SIGB les chiffres demandés par le rapport annuel au ministère.",
        ("I1",),
        "PMB",
        "juridique",
        "culture-sll",
    ),
    Case(
        "Enquête ESGBU de notre BU",
        "Préparer les indicateurs de l'ESGBU pour notre bibliothèque universitaire.",
        ("I2",),
        "",
        "juridique",
        "mesr",
    ),
    Case(
        "Open data de la fréquentation",
        "Publier nos statistiques de fréquentation en données ouvertes.",
        ("I3",),
        "",
        "juridique",
        "etalab",
    ),
    Case(
        "Prêt de livres numériques",
        "Démarrer le prêt numérique PNB avec Dilicom et les DRM LCP.",
        ("E1",),
        "",
        "juridique",
        "dilicom",
    ),
    Case(
        "Statistiques d'usage des ressources en ligne",
        "Comparer l'usage de nos abonnements presse et autoformation.",
        ("E4", "E2"),
        "",
        "juridique",
        "carel",
    ),
    Case(
        "Subvention DGD pour la réinformatisation",
        "Monter le dossier de financement DGD pour changer de SIGB.",
        ("K3",),
        "",
        "juridique",
        "drac",
        "21000",
    ),
    Case(
        "Cahier des charges pour un nouveau SIGB",
        "Rédiger le marché public de remplacement de notre SIGB.",
        ("K2",),
        "",
        "juridique",
        "tosca",
    ),
]


@pytest.fixture
def team():
    skilled_member(
        "sigb",
        skills={"A1": 3, "A2": 3, "A3": 2, "A4": 2, "A5": 2, "A6": 3, "C1": 2, "C3": 2},
        keywords="Koha, PMB, Orphée, Decalog",
    )
    skilled_member(
        "donnees",
        skills={"B1": 3, "B2": 3, "B3": 3, "B4": 3, "B5": 2, "B6": 2, "B7": 2, "A2": 1, "C1": 2},
        keywords="UNIMARC, MARC21, Sudoc, IdRef, MarcEdit, Dewey",
    )
    skilled_member(
        "web",
        skills={"D1": 3, "D2": 3, "D3": 2, "D4": 3, "D5": 3, "F1": 2, "F2": 2, "E3": 2, "E2": 1},
        keywords="Bokeh, Syracuse, WordPress, Omeka S, IIIF, RGAA",
    )
    skilled_member(
        "infra",
        skills={
            "A4": 3,
            "A5": 3,
            "C1": 3,
            "C2": 3,
            "G1": 2,
            "H1": 2,
            "H2": 2,
            "H3": 3,
            "A1": 1,
            "E3": 2,
            "I1": 1,
        },
        keywords="PostgreSQL, SQL, Python, SIP2, LDAP, serveur",
    )
    skilled_member(
        "juridique",
        skills={
            "J1": 3,
            "J2": 3,
            "I1": 3,
            "I2": 2,
            "I3": 3,
            "E1": 2,
            "E2": 2,
            "E4": 2,
            "K2": 2,
            "K3": 2,
            "A2": 2,
            "H2": 1,
        },
        keywords="RGPD, NeoScrib, PNB, marché public",
    )


def test_the_right_member_and_partner_are_in_the_top_three(team, capsys):
    assert len(CASES) >= 30
    libraries = {}
    right_member = right_partner = first_member = first_partner = 0
    misses = []
    for case in CASES:
        if case.postcode not in libraries:
            libraries[case.postcode] = InstitutionFactory(postcode=case.postcode)
        filed = file_request(
            title=case.title,
            description=case.description,
            domains=case.domains,
            systems=case.systems,
            library=libraries[case.postcode],
        )
        suggestions = suggest(filed)
        members = [member.username for member in suggestions.members[:TOP]]
        partners = [partner.code for partner in suggestions.partners[:TOP]]
        right_member += case.member in members
        right_partner += case.partner in partners
        first_member += members[:1] == [case.member]
        first_partner += partners[:1] == [case.partner]
        if case.member not in members or case.partner not in partners:
            misses.append(f"  {case.title}: {members} / {partners}")
    total = len(CASES)
    with capsys.disabled():
        print(
            f"\nright member in top {TOP}: {right_member}/{total}, "
            f"right partner in top {TOP}: {right_partner}/{total} "
            f"(first: member {first_member}/{total}, partner {first_partner}/{total})"
        )
        print("\n".join(misses))
    assert right_member >= FLOOR * total
    assert right_partner >= FLOOR * total
