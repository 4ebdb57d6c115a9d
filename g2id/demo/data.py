"""The demo's French data: libraries, the national cell's members and request scenarios.

Everything here is fictional but plausible: names follow French library practice, postcodes
and INSEE codes are real, ISILs are made up yet well formed (FR- + INSEE commune + 4
characters). E-mail domains end in .example.fr (RFC 2606 style) so that no real person is
ever written to, and phone numbers use the 0x 99 ranges ARCEP reserves for fiction.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from g2id.institutions.models import Institution, TechnicalProfile
from g2id.interventions.models import Mode, Role
from g2id.positioning.models import Stance
from g2id.realisations.models import DeliverableType
from g2id.requests.models import Kind, Status

# One password for every demo account: it is printed by the command, never used in production.
DEMO_PASSWORD = "g2id-demo-2026"  # noqa: S105


@dataclass(frozen=True)
class Library:
    key: str
    name: str
    kind: str
    city: str
    postcode: str
    domain: str  # e-mail domain of its staff
    isil: str = ""


K = Institution.Kind

LIBRARIES: tuple[Library, ...] = (
    # Auvergne-Rhône-Alpes (84)
    Library(
        "bd-drome",
        "Bibliothèque départementale de la Drôme",
        K.DEPARTMENTAL,
        "Valence",
        "26000",
        "bd-drome.example.fr",
        "FR-263625201",
    ),
    Library(
        "jean-mace",
        "Médiathèque Jean-Macé",
        K.MUNICIPAL,
        "Lyon",
        "69007",
        "mediatheque-jean-mace.example.fr",
    ),
    Library(
        "villeurbanne",
        "Médiathèque Aimé-Césaire",
        K.MUNICIPAL,
        "Villeurbanne",
        "69100",
        "mediatheque-villeurbanne.example.fr",
    ),
    Library(
        "grenoble",
        "Bibliothèque Kateb-Yacine",
        K.NETWORK_HEAD,
        "Grenoble",
        "38100",
        "bm-grenoble.example.fr",
        "FR-381852101",
    ),
    Library(
        "clermont-scd",
        "SCD Université Clermont Auvergne",
        K.UNIVERSITY,
        "Clermont-Ferrand",
        "63000",
        "bu-clermont.example.fr",
        "FR-631132101",
    ),
    Library(
        "annecy",
        "Médiathèque Bonlieu",
        K.NETWORK_HEAD,
        "Annecy",
        "74000",
        "bibliotheques-annecy.example.fr",
    ),
    Library(
        "saint-agnan",
        "Point lecture de Saint-Agnan-en-Vercors",
        K.READING_POINT,
        "Saint-Agnan-en-Vercors",
        "26420",
        "mairie-saint-agnan.example.fr",
    ),
    # Bretagne (53)
    Library(
        "rennes2",
        "SCD Université de Rennes 2",
        K.UNIVERSITY,
        "Rennes",
        "35000",
        "bu-rennes2.example.fr",
        "FR-352382102",
    ),
    Library(
        "brest",
        "Médiathèque des Capucins",
        K.NETWORK_HEAD,
        "Brest",
        "29200",
        "mediatheques-brest.example.fr",
    ),
    Library(
        "quimper",
        "Réseau des médiathèques de Quimper Bretagne Occidentale",
        K.INTERCOMMUNAL,
        "Quimper",
        "29000",
        "mediatheques-quimper.example.fr",
    ),
    Library(
        "bd-morbihan",
        "Médiathèque départementale du Morbihan",
        K.DEPARTMENTAL,
        "Vannes",
        "56000",
        "md-morbihan.example.fr",
        "FR-562605201",
    ),
    Library(
        "lannion",
        "Médiathèque de Lannion",
        K.MUNICIPAL,
        "Lannion",
        "22300",
        "mediatheque-lannion.example.fr",
    ),
    # Pays de la Loire (52)
    Library(
        "nantes",
        "Médiathèque Jacques-Demy",
        K.MUNICIPAL_CLASSIFIED,
        "Nantes",
        "44000",
        "bm-nantes.example.fr",
        "FR-441092101",
    ),
    Library(
        "angers",
        "Bibliothèque Toussaint",
        K.MUNICIPAL_CLASSIFIED,
        "Angers",
        "49000",
        "bm-angers.example.fr",
    ),
    Library(
        "pays-flechois",
        "Réseau des bibliothèques du Pays Fléchois",
        K.INTERCOMMUNAL,
        "La Flèche",
        "72200",
        "bibliotheques-paysflechois.example.fr",
    ),
    Library(
        "bd-vendee",
        "Bibliothèque départementale de la Vendée",
        K.DEPARTMENTAL,
        "La Roche-sur-Yon",
        "85000",
        "bd-vendee.example.fr",
    ),
    # Nouvelle-Aquitaine (75)
    Library(
        "limoges",
        "Bibliothèque francophone multimédia de Limoges",
        K.BMVR,
        "Limoges",
        "87000",
        "bfm-limoges.example.fr",
        "FR-870852101",
    ),
    Library(
        "poitiers",
        "Médiathèque François-Mitterrand",
        K.BMVR,
        "Poitiers",
        "86000",
        "mediatheque-poitiers.example.fr",
    ),
    Library(
        "la-rochelle",
        "Médiathèque Michel-Crépeau",
        K.BMVR,
        "La Rochelle",
        "17000",
        "mediatheque-larochelle.example.fr",
    ),
    Library(
        "pau-scd",
        "SCD Université de Pau et des Pays de l'Adour",
        K.UNIVERSITY,
        "Pau",
        "64000",
        "bu-univ-pau.example.fr",
    ),
    Library(
        "bayonne",
        "Médiathèque de Bayonne",
        K.MUNICIPAL,
        "Bayonne",
        "64100",
        "mediatheque-bayonne.example.fr",
    ),
    # Occitanie (76)
    Library(
        "toulouse",
        "Médiathèque José-Cabanis",
        K.BMVR,
        "Toulouse",
        "31500",
        "bibliotheque-toulouse.example.fr",
        "FR-315552101",
    ),
    Library(
        "montpellier",
        "Médiathèque centrale Émile-Zola",
        K.NETWORK_HEAD,
        "Montpellier",
        "34000",
        "mediatheques-montpellier.example.fr",
    ),
    Library(
        "nimes",
        "Bibliothèque Carré d'Art",
        K.MUNICIPAL_CLASSIFIED,
        "Nîmes",
        "30000",
        "carredart-bibliotheque.example.fr",
    ),
    Library(
        "bd-aveyron",
        "Médiathèque départementale de l'Aveyron",
        K.DEPARTMENTAL,
        "Rodez",
        "12000",
        "md-aveyron.example.fr",
    ),
    Library(
        "observatoire",
        "Bibliothèque de l'Observatoire Midi-Pyrénées",
        K.SPECIALISED,
        "Toulouse",
        "31400",
        "omp-biblio.example.fr",
    ),
    # Hauts-de-France (32)
    Library(
        "lille",
        "Médiathèque Jean-Lévy",
        K.MUNICIPAL_CLASSIFIED,
        "Lille",
        "59000",
        "bm-lille.example.fr",
        "FR-593502101",
    ),
    Library(
        "roubaix",
        "Médiathèque La Grand-Plage",
        K.MUNICIPAL,
        "Roubaix",
        "59100",
        "mediatheque-roubaix.example.fr",
    ),
    Library(
        "amiens",
        "Réseau des bibliothèques d'Amiens Métropole",
        K.INTERCOMMUNAL,
        "Amiens",
        "80000",
        "bibliotheques-amiens.example.fr",
    ),
    Library(
        "bd-oise",
        "Médiathèque départementale de l'Oise",
        K.DEPARTMENTAL,
        "Beauvais",
        "60000",
        "md-oise.example.fr",
    ),
    # Grand Est (44)
    Library(
        "strasbourg",
        "Médiathèque André-Malraux",
        K.NETWORK_HEAD,
        "Strasbourg",
        "67000",
        "mediatheques-strasbourg.example.fr",
        "FR-674822101",
    ),
    Library(
        "troyes",
        "Médiathèque Jacques-Chirac",
        K.BMVR,
        "Troyes",
        "10000",
        "mediatheque-troyes.example.fr",
    ),
    Library(
        "nancy-scd",
        "SCD Université de Lorraine",
        K.UNIVERSITY,
        "Nancy",
        "54000",
        "bu-lorraine.example.fr",
    ),
    Library(
        "colmar",
        "Bibliothèque des Dominicains",
        K.MUNICIPAL,
        "Colmar",
        "68000",
        "bibliotheques-colmar.example.fr",
    ),
    # Île-de-France (11)
    Library(
        "montreuil",
        "Bibliothèque Robert-Desnos",
        K.MUNICIPAL,
        "Montreuil",
        "93100",
        "bibliotheques-montreuil.example.fr",
    ),
    Library(
        "evry",
        "Médiathèque de l'Agora",
        K.INTERCOMMUNAL,
        "Évry-Courcouronnes",
        "91000",
        "mediatheques-grandparissud.example.fr",
    ),
    Library(
        "forney",
        "Bibliothèque Forney",
        K.SPECIALISED,
        "Paris",
        "75004",
        "bibliotheque-forney.example.fr",
        "FR-751042301",
    ),
    # Normandie (28)
    Library(
        "caen",
        "Bibliothèque Alexis-de-Tocqueville",
        K.NETWORK_HEAD,
        "Caen",
        "14000",
        "bibliotheques-caen.example.fr",
        "FR-141182101",
    ),
    Library(
        "rouen",
        "Bibliothèque Simone-de-Beauvoir",
        K.MUNICIPAL,
        "Rouen",
        "76000",
        "bibliotheques-rouen.example.fr",
    ),
    Library(
        "cherbourg",
        "Médiathèque Jacques-Prévert",
        K.MUNICIPAL,
        "Cherbourg-en-Cotentin",
        "50100",
        "mediatheques-cherbourg.example.fr",
    ),
    # Centre-Val de Loire (24)
    Library(
        "tours",
        "Bibliothèque centrale de Tours",
        K.MUNICIPAL_CLASSIFIED,
        "Tours",
        "37000",
        "bm-tours.example.fr",
    ),
    Library(
        "bd-cher",
        "Médiathèque départementale du Cher",
        K.DEPARTMENTAL,
        "Bourges",
        "18000",
        "md-cher.example.fr",
    ),
    # Bourgogne-Franche-Comté (27)
    Library(
        "dijon", "Bibliothèque La Nef", K.NETWORK_HEAD, "Dijon", "21000", "bm-dijon.example.fr"
    ),
    Library(
        "besancon-scd",
        "BU Proudhon — Université Marie et Louis Pasteur",
        K.UNIVERSITY,
        "Besançon",
        "25000",
        "bu-umlp.example.fr",
    ),
    # Provence-Alpes-Côte d'Azur (93)
    Library(
        "marseille",
        "Bibliothèque de l'Alcazar",
        K.BMVR,
        "Marseille",
        "13001",
        "bmvr-marseille.example.fr",
        "FR-132012101",
    ),
    Library(
        "nice",
        "Bibliothèque Louis-Nucéra",
        K.BMVR,
        "Nice",
        "06300",
        "bmvr-nice.example.fr",
        "FR-060882101",
    ),
    Library("gap", "Médiathèque de Gap", K.MUNICIPAL, "Gap", "05000", "mediatheque-gap.example.fr"),
    # Corse (94)
    Library(
        "ajaccio",
        "Médiathèque des Jardins de l'Empereur",
        K.MUNICIPAL,
        "Ajaccio",
        "20090",
        "mediatheque-ajaccio.example.fr",
        "FR-2A0042101",
    ),
)


@dataclass(frozen=True)
class DemoCell:
    slug: str
    name: str
    speciality: str
    region: str  # INSEE code; "" for national
    contact_email: str
    charter: str
    vade_mecum: str


NATIONAL = "informatique-documentaire"
MULTIMEDIA = "multimedia-bretagne"

CELLS: tuple[DemoCell, ...] = (
    DemoCell(
        NATIONAL,
        "Informatique documentaire",
        "SIGB, données catalographiques, portails, scripts et connecteurs",
        "",
        "cellule-id@g2id.example.fr",
        "**Qui** : cinq praticiens de l'informatique documentaire, mis à disposition par leurs "
        "établissements.\n\n**Où** : à distance, partout en France.\n\n**Quoi** : conseil, "
        "audit, formation, scripts, extensions, paramétrage. Pas de réinformatisation complète."
        "\n\n**Comment** : le groupe se positionne ensemble sur chaque demande, puis fait avec "
        "vous.\n\n**Pourquoi** : ce qu'une bibliothèque apprend doit servir aux autres.",
        "## Comment nous saisir\n\nDéposez une demande sur ce site : une référence et un lien "
        "de suivi vous sont envoyés.\n\n## Ce que nous faisons\n\n- conseil et audit de "
        "paramétrage\n- scripts, requêtes, extensions\n- formation de vos équipes\n\n"
        "## Ce que nous ne faisons pas\n\n- choisir ou déployer un SIGB complet\n- "
        "remplacer un prestataire sous contrat\n\n## Délais\n\nNous nous positionnons en "
        "dix jours ouvrés au plus. Si une autre structure est mieux placée, nous vous "
        "réorientons vers elle.",
    ),
    DemoCell(
        MULTIMEDIA,
        "Multimédia Bretagne",
        "Vidéo, son, médiation numérique et réseaux sociaux",
        "53",
        "multimedia-bretagne@g2id.example.fr",
        "Trois praticiens bretons du multimédia en bibliothèque : captation, montage, "
        "ressources numériques, animation des réseaux. Nous intervenons en Bretagne, sur place "
        "quand il le faut.",
        "",
    ),
)


@dataclass(frozen=True)
class Member:
    username: str
    first_name: str
    last_name: str
    home: str  # Library.key
    share_percent: int
    started_days_ago: int
    term_days: int  # planned length of the term, at most 5 years (the charter rule)
    coordinator: bool = False
    cell: str = NATIONAL
    skills: tuple[tuple[str, int], ...] = ()  # (domain code, level 1 to 3)
    keywords: str = ""
    bio: str = ""

    @property
    def email(self) -> str:
        home = next(library for library in LIBRARIES if library.key == self.home)
        return f"{_ascii(self.first_name)}.{_ascii(self.last_name)}@{home.domain}"


def _ascii(name: str) -> str:
    # E-mail local parts stay ASCII: "Élodie" → "elodie".
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


COORDINATOR = "mlefebvre"

MEMBERS: tuple[Member, ...] = (
    Member(
        "mlefebvre",
        "Mathilde",
        "Lefebvre",
        "bd-drome",
        50,
        3 * 365 + 60,
        5 * 365,
        True,
        skills=(("A1", 3), ("A6", 3), ("C3", 2), ("K1", 2)),
        keywords="Koha, Orphée, NeoScrib",
        bio="Responsable du SIGB de la bibliothèque départementale de la Drôme ; réseaux "
        "multi-sites et recommandation 995.",
    ),
    # His term ends within 6 months: the demo shows the coming recruitment need.
    Member(
        "jmoreau",
        "Julien",
        "Moreau",
        "rennes2",
        50,
        4 * 365 - 90,
        4 * 365,
        skills=(("B1", 3), ("B2", 3), ("B4", 2), ("C4", 2)),
        keywords="UNIMARC, MARC21, Sudoc, IdRef, MarcEdit",
        bio="Catalogueur et développeur à l'université Rennes 2 ; conversions de formats et "
        "alignements d'autorités.",
    ),
    Member(
        "sgarnier",
        "Sophie",
        "Garnier",
        "toulouse",
        20,
        16 * 30,
        3 * 365,
        skills=(("D1", 3), ("D2", 2), ("E2", 2)),
        keywords="Bokeh, Drupal, WordPress",
        bio="Webmestre du réseau des médiathèques de Toulouse ; portails et accessibilité.",
    ),
    Member(
        "kbenali",
        "Karim",
        "Benali",
        "lille",
        100,
        2 * 365 + 180,
        3 * 365,
        skills=(("A4", 3), ("C1", 2), ("C2", 3), ("H3", 2)),
        keywords="PostgreSQL, Python, SIP2, LDAP",
        bio="Administrateur systèmes ; scripts, connecteurs et automates de prêt.",
    ),
    Member(
        "emarchand",
        "Élodie",
        "Marchand",
        "strasbourg",
        50,
        8 * 30,
        3 * 365,
        skills=(("J1", 3), ("J2", 2), ("K1", 2), ("A2", 2)),
        keywords="RGPD, Koha, formation",
        bio="Déléguée à la protection des données de son réseau ; purge des fichiers lecteurs "
        "et formation des équipes.",
    ),
    Member(
        "ytanguy",
        "Yann",
        "Tanguy",
        "brest",
        50,
        2 * 365,
        4 * 365,
        True,
        cell=MULTIMEDIA,
        skills=(("E2", 3), ("F1", 2)),
        keywords="Captation vidéo, OBS, PeerTube",
        bio="Médiateur numérique aux Capucins ; ateliers vidéo et diffusion en direct.",
    ),
    Member(
        "alebris",
        "Anne",
        "Le Bris",
        "quimper",
        30,
        400,
        3 * 365,
        cell=MULTIMEDIA,
        skills=(("E1", 2), ("E2", 2)),
        keywords="Ressources numériques, PNB, réseaux sociaux",
        bio="Responsable des ressources numériques du réseau de Quimper.",
    ),
    Member(
        "gcorre",
        "Gwenaëlle",
        "Corre",
        "bd-morbihan",
        50,
        200,
        2 * 365,
        cell=MULTIMEDIA,
        skills=(("F1", 3), ("F3", 2)),
        keywords="Numérisation, Omeka S, IIIF",
        bio="Chargée du patrimoine numérisé de la médiathèque départementale du Morbihan.",
    ),
)

ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@g2id.example.fr"


# --- What some libraries run (their technical profile, as they or the team filled it in) -------


@dataclass(frozen=True)
class Tools:
    library: str
    ils: str
    ils_version: str = ""
    portal: str = ""
    network: str = ""
    hosting: str = ""
    has_it_support: bool | None = None


ILS, HOSTING = TechnicalProfile.Ils, TechnicalProfile.Hosting

TECHNICAL_PROFILES: tuple[Tools, ...] = (
    Tools(
        "bd-vendee",
        ILS.KOHA,
        "23.11",
        "Bokeh",
        "Réseau départemental de lecture publique de la Vendée",
        HOSTING.LOCAL_AUTHORITY,
        True,
    ),
    Tools("limoges", ILS.KOHA, "22.11", "Bokeh", "", HOSTING.ON_PREMISES, True),
    Tools("cherbourg", ILS.PMB, "7.3", "", "", HOSTING.ON_PREMISES, False),
    Tools("nancy-scd", ILS.ALMA, "", "Primo VE", "Réseau Sudoc", HOSTING.VENDOR_SAAS, True),
    Tools("evry", ILS.DECALOG, "7", "Decalog Portail", "", HOSTING.VENDOR_SAAS, False),
    Tools(
        "grenoble", ILS.ORPHEE, "6.2", "Syracuse", "Réseau des bibliothèques de Grenoble", "", True
    ),
)


# --- Request scenarios -------------------------------------------------------------------
# A scenario files a request `days_ago` days ago, then plays its steps, each `after` days
# after the submission, through the real lifecycle methods and services.


@dataclass(frozen=True)
class Step:
    after: float  # days after the submission
    # review, ask, library, note, team, move, withdraw, estimate, opinion, decision, recuse,
    # invite, expert, feedback
    action: str
    by: str = ""  # member username for team actions
    text: str = ""  # message, reason, rationale or comment
    to: str = ""  # target status of a "move", stance of an opinion, outcome of a decision
    role: str = ""  # role offered with a "take" opinion
    partners: tuple[str, ...] = ()  # partner codes (directory), resolved in the library's region
    message: str = ""  # the referral's message to the library
    override: str = ""  # why the coordinator decides before the quorum
    email: str = ""  # an invited expert's address
    name: str = ""  # an invited expert's name
    helpful: bool | None = None  # the library's feedback on a referral
    # What an intervention step records: PlanDetails, SessionDetails, DeliverableDetails…
    details: object = None


def review(after: float, by: str) -> Step:
    return Step(after, "review", by=by)


def ask(after: float, by: str, question: str) -> Step:
    return Step(after, "ask", by=by, text=question)


def answer(after: float, text: str) -> Step:
    """A message of the library; it resumes the review when the team had asked a question."""
    return Step(after, "library", text=text)


def note(after: float, by: str, text: str) -> Step:
    """An internal note of the team, never shown to the library."""
    return Step(after, "note", by=by, text=text)


def tell(after: float, by: str, text: str) -> Step:
    """A team message to the library."""
    return Step(after, "team", by=by, text=text)


def move(after: float, to: str, by: str, reason: str = "") -> Step:
    """A lifecycle move; the group's decisions (accepted, referred, declined) are `decision`."""
    return Step(after, "move", by=by, text=reason, to=to)


def opinion(
    after: float,
    by: str,
    stance: str,
    comment: str,
    role: str = "",
    partners: tuple[str, ...] = (),
) -> Step:
    """A member's opinion (take with a role, refer to partner codes, decline, abstain)."""
    return Step(after, "opinion", by=by, text=comment, to=stance, role=role, partners=partners)


def decision(
    after: float,
    by: str,
    outcome: str,
    rationale: str,
    partners: tuple[str, ...] = (),
    message: str = "",
    override: str = "",
) -> Step:
    """The coordinator's decision; `override` says why it is taken before the quorum."""
    return Step(
        after,
        "decision",
        by=by,
        text=rationale,
        to=outcome,
        partners=partners,
        message=message,
        override=override,
    )


def recuse(after: float, by: str, reason: str) -> Step:
    """A member declares a conflict of interest and steps aside."""
    return Step(after, "recuse", by=by, text=reason)


def invite(after: float, by: str, email: str, name: str, note: str = "") -> Step:
    """A member asks an outside practitioner for an opinion."""
    return Step(after, "invite", by=by, email=email, name=name, text=note)


def expert(after: float, stance: str, comment: str, partners: tuple[str, ...] = ()) -> Step:
    """The answer of the request's (last) invited expert."""
    return Step(after, "expert", to=stance, text=comment, partners=partners)


def feedback(after: float, helpful: bool, comment: str) -> Step:
    """The library says whether the referral helped."""
    return Step(after, "feedback", helpful=helpful, text=comment)


def estimate(after: float, by: str, days: str) -> Step:
    """The team's effort estimate, in person-days."""
    return Step(after, "estimate", by=by, text=days)


def withdraw(after: float, reason: str) -> Step:
    return Step(after, "withdraw", text=reason)


# --- Intervention steps (g2id/interventions, g2id/realisations) ---------------------------
# Days in details (`on`, `start`, `end`) count from the submission, like `after`; they may
# lie in the future (a session booked for next week). Sessions falling on a weekend move to
# the next Monday.


@dataclass(frozen=True)
class PlanDetails:
    mode: str
    start: int  # planned period, days after the submission
    end: int


@dataclass(frozen=True)
class SessionDetails:
    on: int  # days after the submission
    start: str  # "14:00"
    end: str
    location: str
    notes: str = ""


@dataclass(frozen=True)
class DeliverableDetails:
    title: str
    type: str
    licence: str  # SPDX
    how_to: str
    reusable: bool
    version: str
    url: str  # on the demo's fictional forge
    notes: str = ""


@dataclass(frozen=True)
class VersionDetails:
    deliverable: str  # title of the intervention's deliverable
    label: str
    url: str
    notes: str = ""


@dataclass(frozen=True)
class TransferDetails:
    what_taught: str
    taught_to: str
    how: str = ""
    through_sessions: bool = True
    through_documentation: bool = True


@dataclass(frozen=True)
class SurveyDetails:
    score: int
    what_worked: str
    what_did_not: str = ""
    would_recommend: bool = True
    saved_estimate: str = ""
    consent_case_study: bool = False
    anonymise: bool = True


@dataclass(frozen=True)
class ReuseDetails:
    deliverable: str  # title of one of the intervention's deliverables
    library: str  # Library.key of the demo library that reuses it
    contact: str  # local part of its contact's address


@dataclass(frozen=True)
class ImpactDetails:
    still_in_use: bool
    what_changed: str


FORGE = "https://forge.g2id.example/cellule-id"


def plan(
    after: float, by: str, reason: str = "", *, mode: str = Mode.REMOTE, period: tuple[int, int]
) -> Step:
    """accepted → planned, with the intervention's mode and planned period."""
    return Step(after, "plan", by=by, text=reason, details=PlanDetails(mode, *period))


def start(after: float, by: str, reason: str = "") -> Step:
    """planned → in progress."""
    return Step(after, "start", by=by, text=reason)


def deliver(after: float, by: str, reason: str) -> Step:
    """in progress → delivered; the satisfaction survey goes to the library."""
    return Step(after, "deliver", by=by, text=reason)


def close(after: float, by: str, reason: str = "") -> Step:
    """delivered → closed by the team."""
    return Step(after, "close", by=by, text=reason)


def session(
    after: float, by: str, on: int, hours: tuple[str, str], location: str, notes: str = ""
) -> Step:
    """A working session with the library, booked `after` days after the submission."""
    return Step(after, "session", by=by, details=SessionDetails(on, *hours, location, notes))


def tasks(after: float, by: str, *titles: str) -> Step:
    """Lines added to the intervention's checklist."""
    return Step(after, "tasks", by=by, details=titles)


def done(after: float, by: str, title: str) -> Step:
    """A checklist line ticked off."""
    return Step(after, "done", by=by, text=title)


def deliverable(after: float, by: str, details: DeliverableDetails) -> Step:
    return Step(after, "deliverable", by=by, details=details)


def version(after: float, by: str, details: VersionDetails) -> Step:
    return Step(after, "version", by=by, details=details)


def transfer(after: float, by: str, details: TransferDetails) -> Step:
    """The transfer record: what the team taught, to whom, how."""
    return Step(after, "transfer", by=by, details=details)


def survey(after: float, details: SurveyDetails) -> Step:
    """The library answers the satisfaction survey (which closes a delivered intervention)."""
    return Step(after, "survey", details=details)


def reuse(after: float, by: str, details: ReuseDetails) -> Step:
    """Another demo library declares it reuses a deliverable; `by` confirms it."""
    return Step(after, "reuse", by=by, details=details)


def case_study(after: float, by: str, addition: str) -> Step:
    """The lead drafts the case study (the library consented) and adds a paragraph."""
    return Step(after, "case_study", by=by, text=addition)


def publish(after: float, by: str) -> Step:
    """The lead publishes the case study on /realisations/."""
    return Step(after, "publish", by=by)


def impact(after: float, details: ImpactDetails) -> Step:
    """The six-month impact check goes out (as the daily job would) and the library answers."""
    return Step(after, "impact", details=details)


@dataclass(frozen=True)
class Scenario:
    library: str
    contact_name: str
    contact_email: str  # local part, the library's domain is added
    contact_role: str
    title: str
    description: str
    kind: str
    domains: tuple[str, ...]
    systems: str
    days_ago: float
    steps: tuple[Step, ...] = ()
    contact_phone: str = ""
    desired: tuple[int, int] | None = None  # desired start and end, days after submission
    expected: str = Status.SUBMITTED  # the status the steps lead to (checked when seeding)


ML, JM, SG, KB, EM = "mlefebvre", "jmoreau", "sgarnier", "kbenali", "emarchand"
S = Status
TAKE, REFER, DECLINE, ABSTAIN = Stance.TAKE, Stance.REFER, Stance.DECLINE, Stance.ABSTAIN
LEAD, CONTRIBUTOR, ADVICE = Role.LEAD, Role.CONTRIBUTOR, Role.ADVICE
REMOTE, ON_SITE, MIXED = Mode.REMOTE, Mode.ON_SITE, Mode.MIXED
D = DeliverableType
VISIO = "https://visio.g2id.example/cellule-id"

SCENARIOS: tuple[Scenario, ...] = (
    # --- Closed: the whole journey, from submission to closing ----------------------------
    Scenario(
        "bd-vendee",
        "Nathalie Girard",
        "n.girard",
        "Responsable du pôle informatique documentaire",
        "Harmoniser les règles de circulation Koha du réseau départemental",
        "Depuis le passage à Koha 23.11, chacune des 42 bibliothèques du réseau a sa propre "
        "matrice de prêt : durées, nombre de réservations et relances diffèrent d'une commune "
        "à l'autre et les lecteurs s'y perdent. Nous voudrions une matrice commune, avec des "
        "exceptions documentées, et savoir la maintenir nous-mêmes ensuite.",
        Kind.TECHNICAL,
        ("A1", "A6"),
        "Koha 23.11 (hébergé par le Département)",
        290,
        (
            review(1, ML),
            opinion(
                2,
                JM,
                TAKE,
                "Je prends en lead, c'est proche de ce que nous avons fait pour "
                "la Drôme. Prévoir une séance de formation des deux référents.",
                LEAD,
            ),
            opinion(
                3,
                KB,
                TAKE,
                "D'accord. Je peux écrire le script SQL qui compare les matrices avant/après.",
                CONTRIBUTOR,
            ),
            opinion(
                4,
                ML,
                TAKE,
                "Favorable : je partage la matrice commune de la Drôme et nos exceptions "
                "documentées comme point de départ.",
                ADVICE,
            ),
            opinion(
                4.5, SG, ABSTAIN, "Pas de compétence particulière sur la circulation ; favorable."
            ),
            decision(
                6,
                ML,
                S.ACCEPTED,
                "Le groupe prend la demande : matrice commune de circulation, "
                "script de contrôle et formation de deux référents du réseau.",
            ),
            note(6.05, JM, "Demander aux référents les 42 matrices actuelles avant la visio."),
            tell(
                6.1,
                JM,
                "Bonjour Madame Girard, je serai votre interlocuteur. Pouvons-nous "
                "faire une visio de cadrage mardi prochain à 10 h ?",
            ),
            answer(8, "Bonjour, mardi 10 h nous convient très bien. Nous serons trois."),
            tasks(
                9,
                JM,
                "Recueillir les 42 matrices de prêt actuelles",
                "Proposer une matrice cible et ses exceptions",
                "Écrire les requêtes SQL de contrôle avant/après",
                "Former les deux référents du réseau",
            ),
            session(9.5, JM, 13, ("10:00", "12:00"), VISIO + "/vendee-cadrage", "Cadrage."),
            session(
                9.6,
                JM,
                27,
                ("14:00", "17:00"),
                VISIO + "/vendee-parametrage",
                "Paramétrage accompagné de la matrice et formation des référents.",
            ),
            plan(
                10,
                JM,
                "Deux séances à distance : cadrage puis paramétrage accompagné.",
                period=(13, 45),
            ),
            done(12, JM, "Recueillir les 42 matrices de prêt actuelles"),
            start(21, JM, "Première séance faite, la matrice cible est validée."),
            done(21.1, JM, "Proposer une matrice cible et ses exceptions"),
            tell(
                22,
                JM,
                "Voici le compte rendu de la séance et la matrice cible. Le script de "
                "contrôle sera prêt pour la seconde séance.",
            ),
            deliverable(
                26,
                KB,
                DeliverableDetails(
                    "Requêtes SQL de contrôle des règles de circulation Koha",
                    D.SCRIPT,
                    "CC-BY-4.0",
                    "Trois rapports SQL à coller dans le module Rapports de Koha : règles par "
                    "site et catégorie, écarts avec la matrice commune, exceptions en vigueur.",
                    True,
                    "1.0",
                    FORGE + "/koha-controle-circulation",
                    "Première version, testée sur la base de préproduction du réseau.",
                ),
            ),
            done(26.1, KB, "Écrire les requêtes SQL de contrôle avant/après"),
            done(27.2, JM, "Former les deux référents du réseau"),
            deliverable(
                35,
                JM,
                DeliverableDetails(
                    "Matrice de circulation commune du réseau départemental",
                    D.CONFIGURATION,
                    "CC-BY-4.0",
                    "Export des règles de circulation de Koha et tableau des exceptions "
                    "communales, propres au réseau : à lire comme exemple.",
                    False,
                    "2024-réseau",
                    FORGE + "/vendee-matrice-circulation",
                ),
            ),
            deliverable(
                40,
                JM,
                DeliverableDetails(
                    "Guide de maintenance d'une matrice de prêt commune",
                    D.REPORT,
                    "CC-BY-4.0",
                    "Comment ajouter une exception, vérifier l'effet d'une règle et tenir le "
                    "tableau des exceptions à jour, en douze pages.",
                    True,
                    "1.0",
                    FORGE + "/guide-matrice-pret",
                ),
            ),
            version(
                44,
                KB,
                VersionDetails(
                    "Requêtes SQL de contrôle des règles de circulation Koha",
                    "1.1",
                    FORGE + "/koha-controle-circulation/-/releases/v1.1",
                    "Compatible Koha 24.05 ; ajout du contrôle des réservations.",
                ),
            ),
            transfer(
                44.5,
                JM,
                TransferDetails(
                    "Lire et modifier la matrice de circulation de Koha ; documenter une "
                    "exception ; contrôler l'effet d'un changement avec les rapports SQL.",
                    "Les deux référents SIGB du réseau départemental",
                    "Deux séances à distance, puis le guide de maintenance.",
                ),
            ),
            deliver(
                45,
                JM,
                "Matrice appliquée en production, script de contrôle et "
                "documentation livrés sous licence CC-BY-4.0.",
            ),
            answer(50, "Tout fonctionne, les bibliothèques du réseau sont ravies. Merci !"),
            close(58, ML, "Clôturée après le retour très satisfait de la bibliothèque."),
            survey(
                60,
                SurveyDetails(
                    5,
                    "La méthode : partir de la matrice d'un autre réseau, puis décider "
                    "ensemble des exceptions. Nos référents modifient maintenant les règles "
                    "seuls.",
                    "La première séance aurait pu être plus courte.",
                    True,
                    "Environ dix jours de prestation évités.",
                    consent_case_study=True,
                    anonymise=False,
                ),
            ),
            case_study(
                63,
                JM,
                "## Et depuis\n\nLes deux référents ont ajouté seuls trois exceptions "
                "depuis la fin de l'intervention, avec le guide de maintenance.",
            ),
            publish(64, JM),
            reuse(
                120,
                JM,
                ReuseDetails(
                    "Requêtes SQL de contrôle des règles de circulation Koha",
                    "bd-cher",
                    "sigb",
                ),
            ),
            impact(
                245,
                ImpactDetails(
                    True,
                    "La matrice commune est toujours en place ; les plaintes des lecteurs "
                    "sur les durées de prêt ont disparu et deux communes nouvelles l'ont "
                    "adoptée sans aide.",
                ),
            ),
        ),
        contact_phone="02 99 51 20 10",
        desired=(30, 120),
        expected=S.CLOSED,
    ),
    Scenario(
        "nantes",
        "Olivier Lambert",
        "olivier.lambert",
        "Chargé des données bibliographiques",
        "Convertir un lot de notices MARC21 en UNIMARC avant import dans Koha",
        "Nous avons reçu 18 000 notices en MARC21 d'un fonds musical donné par un "
        "conservatoire. Nous cherchons une table de conversion fiable vers UNIMARC (zones 0XX, "
        "7XX et sous-vedettes) et un moyen de vérifier le résultat avant l'import.",
        Kind.TECHNICAL,
        ("B1", "C1"),
        "Koha 22.11, MarcEdit 7",
        250,
        (
            review(2, JM),
            ask(
                3,
                JM,
                "Pouvez-vous déposer un échantillon d'une centaine de notices ? Les "
                "notices de musique imprimée ont-elles des zones 028 ?",
            ),
            answer(
                6,
                "Voici l'échantillon (lien de partage de la Ville). Oui, environ un tiers "
                "des notices ont une 028.",
            ),
            opinion(
                7,
                JM,
                TAKE,
                "Prendre. Les feuilles de style XSLT de la BnF couvrent 90 % du "
                "besoin, le reste est du nettoyage.",
                LEAD,
            ),
            opinion(
                7.5,
                KB,
                TAKE,
                "Je peux écrire le contrôle automatique des notices converties.",
                CONTRIBUTOR,
            ),
            opinion(8, EM, ABSTAIN, "Hors de mes compétences, aucune objection."),
            decision(
                9,
                ML,
                S.ACCEPTED,
                "Le groupe prend la demande : conversion outillée et "
                "transfert de la méthode à l'équipe de catalogage.",
            ),
            note(9.2, JM, "Dépôt des scripts créé ; accès donné à Karim pour le contrôle."),
            tasks(
                9.3,
                JM,
                "Adapter les feuilles XSLT de la BnF aux zones 028 et 7XX",
                "Convertir l'échantillon et le faire relire",
                "Écrire le contrôle automatique des notices converties",
                "Convertir le lot complet",
                "Montrer la méthode à l'équipe de catalogage",
            ),
            session(
                11.5, JM, 16, ("14:00", "16:00"), VISIO + "/nantes", "Relecture de l'échantillon."
            ),
            plan(12, JM, "Séance à distance le jeudi 14 h.", period=(14, 45)),
            done(15, JM, "Adapter les feuilles XSLT de la BnF aux zones 028 et 7XX"),
            start(20, JM),
            done(20.1, JM, "Convertir l'échantillon et le faire relire"),
            deliverable(
                24,
                JM,
                DeliverableDetails(
                    "Conversion MARC21 vers UNIMARC pour la musique imprimée",
                    D.SCRIPT,
                    "MIT",
                    "Feuilles XSLT dérivées de celles de la BnF et script Python qui convertit "
                    "un fichier ISO 2709 par lots ; zones 028, 7XX et sous-vedettes traitées.",
                    True,
                    "1.0.0",
                    FORGE + "/marc21-unimarc-musique",
                ),
            ),
            deliverable(
                30,
                KB,
                DeliverableDetails(
                    "Contrôle automatique des notices converties",
                    D.SCRIPT,
                    "MIT",
                    "Compare chaque notice convertie à sa source et liste les zones perdues "
                    "ou vides ; sortie CSV à ouvrir dans un tableur.",
                    True,
                    "0.9.0",
                    FORGE + "/controle-conversion-marc",
                ),
            ),
            done(30.1, KB, "Écrire le contrôle automatique des notices converties"),
            version(
                36,
                JM,
                VersionDetails(
                    "Conversion MARC21 vers UNIMARC pour la musique imprimée",
                    "1.1.0",
                    FORGE + "/marc21-unimarc-musique/-/releases/v1.1.0",
                    "Sous-vedettes de forme et zones 128 corrigées après relecture.",
                ),
            ),
            done(37, JM, "Convertir le lot complet"),
            session(37.2, JM, 39, ("14:00", "16:30"), VISIO + "/nantes", "Passage de relais."),
            deliverable(
                40,
                KB,
                DeliverableDetails(
                    "Rapport de contrôle de la conversion du fonds musical",
                    D.REPORT,
                    "CC-BY-4.0",
                    "Bilan des 18 000 notices : 97 % converties sans perte, la liste des "
                    "cas à reprendre à la main.",
                    False,
                    "1",
                    FORGE + "/nantes-rapport-conversion",
                ),
            ),
            transfer(
                40.5,
                JM,
                TransferDetails(
                    "Lancer la conversion par lots, lire le rapport de contrôle, corriger les "
                    "cas signalés avant l'import dans Koha.",
                    "Deux catalogueurs du pôle musique",
                    "Une séance de passage de relais et le README du dépôt.",
                ),
            ),
            done(40.6, JM, "Montrer la méthode à l'équipe de catalogage"),
            deliver(
                41,
                JM,
                "Scripts de conversion et rapport de contrôle livrés (dépôt public, licence MIT).",
            ),
            close(55, ML, "Clôturée : import réalisé par la bibliothèque."),
            survey(
                57,
                SurveyDetails(
                    4,
                    "Des scripts que nous pouvons relancer nous-mêmes pour les prochains dons.",
                    "La documentation du script de contrôle est un peu courte.",
                    True,
                    "Trois mois de saisie évités.",
                    consent_case_study=True,
                    anonymise=True,
                ),
            ),
            case_study(
                60,
                JM,
                "## Pour aller plus loin\n\nLes feuilles de conversion sont publiques : "
                "toute bibliothèque qui reçoit un fonds musical en MARC21 peut les reprendre.",
            ),
            publish(61, JM),
            reuse(
                95,
                JM,
                ReuseDetails(
                    "Conversion MARC21 vers UNIMARC pour la musique imprimée",
                    "villeurbanne",
                    "catalogue",
                ),
            ),
        ),
        expected=S.CLOSED,
    ),
    Scenario(
        "la-rochelle",
        "Isabelle Fontaine",
        "i.fontaine",
        "Bibliothécaire, référente SIGB",
        "Former l'équipe à l'écriture de rapports SQL dans Koha",
        "Nous dépendons du prestataire pour chaque statistique. Nous aimerions qu'une ou deux "
        "personnes de l'équipe sachent écrire et adapter des rapports SQL dans Koha (prêts par "
        "section, documents jamais empruntés, lecteurs actifs par quartier).",
        Kind.TRAINING,
        ("A4",),
        "Koha 23.11",
        220,
        (
            review(1, EM),
            opinion(
                2,
                EM,
                TAKE,
                "Je prends, avec les rapports de la communauté KohaLa en support.",
                LEAD,
            ),
            opinion(
                3,
                KB,
                TAKE,
                "Je peux co-animer la seconde demi-journée (requêtes sur les prêts).",
                CONTRIBUTOR,
            ),
            opinion(4, JM, ABSTAIN, "Pas disponible ce trimestre, mais favorable."),
            decision(5, ML, S.ACCEPTED, "Formation de deux demi-journées à distance."),
            tasks(
                6,
                EM,
                "Choisir les rapports d'exemple avec la bibliothèque",
                "Préparer les supports de formation",
                "Animer la première demi-journée",
                "Animer la seconde demi-journée",
            ),
            session(
                8.5, EM, 30, ("09:30", "12:30"), VISIO + "/larochelle", "Premiers rapports SQL."
            ),
            session(
                8.6, KB, 37, ("09:30", "12:30"), VISIO + "/larochelle", "Requêtes sur les prêts."
            ),
            plan(
                9,
                EM,
                "Deux demi-journées, les 12 et 19 du mois prochain.",
                period=(30, 38),
            ),
            done(12, EM, "Choisir les rapports d'exemple avec la bibliothèque"),
            deliverable(
                27,
                EM,
                DeliverableDetails(
                    "Écrire ses rapports SQL dans Koha : supports de formation",
                    D.TRAINING,
                    "CC-BY-SA-4.0",
                    "Diaporama et exercices corrigés pour deux demi-journées, du premier "
                    "SELECT aux rapports à paramètres.",
                    True,
                    "2024.1",
                    FORGE + "/formation-rapports-sql-koha",
                ),
            ),
            done(27.1, EM, "Préparer les supports de formation"),
            start(30, EM),
            done(30.2, EM, "Animer la première demi-journée"),
            done(37.2, KB, "Animer la seconde demi-journée"),
            deliverable(
                37.5,
                KB,
                DeliverableDetails(
                    "Douze rapports SQL commentés pour Koha",
                    D.SCRIPT,
                    "GPL-3.0-or-later",
                    "Prêts par section, documents jamais empruntés, lecteurs actifs par "
                    "quartier… chacun commenté ligne à ligne.",
                    True,
                    "1.0",
                    FORGE + "/rapports-sql-koha",
                ),
            ),
            transfer(
                37.8,
                EM,
                TransferDetails(
                    "Écrire, paramétrer et adapter un rapport SQL dans Koha ; lire le schéma "
                    "de la base.",
                    "Deux bibliothécaires, dont la référente SIGB",
                    "Deux demi-journées à distance avec exercices sur leur propre base.",
                ),
            ),
            deliver(38, EM, "Supports de formation et 12 rapports commentés livrés."),
            answer(40, "Merci pour la formation, nous avons déjà écrit trois rapports seuls."),
            survey(
                41,
                SurveyDetails(
                    4,
                    "Des exercices sur nos propres données ; des rapports que nous comprenons.",
                    "Une troisième demi-journée n'aurait pas été de trop.",
                    True,
                    "Nous ne payons plus le prestataire pour les statistiques.",
                    consent_case_study=True,
                    anonymise=True,
                ),
            ),
            case_study(45, EM, ""),
            reuse(
                90,
                EM,
                ReuseDetails(
                    "Écrire ses rapports SQL dans Koha : supports de formation",
                    "lannion",
                    "formation",
                ),
            ),
        ),
        expected=S.CLOSED,
    ),
    # --- Delivered ---------------------------------------------------------------------------
    Scenario(
        "montreuil",
        "Thomas Roux",
        "thomas.roux",
        "Responsable du pôle numérique",
        "Un module de recherche OpenSearch pour le catalogue",
        "Nous voudrions que les usagers puissent interroger le catalogue depuis la barre de "
        "recherche de leur navigateur et depuis le site de la Ville (petit widget).",
        Kind.TECHNICAL,
        ("D3", "D2"),
        "Koha 23.11 (OPAC)",
        40,
        (
            review(1, SG),
            opinion(
                2,
                SG,
                TAKE,
                "Je prends : description OpenSearch et petit widget, une journée de travail.",
                LEAD,
            ),
            opinion(2.5, KB, TAKE, "Je peux héberger le widget sur notre serveur de test.", ADVICE),
            opinion(3, JM, ABSTAIN, "Favorable, rien à ajouter."),
            decision(4, ML, S.ACCEPTED, "Petite réalisation : description OpenSearch et widget."),
            tasks(
                5,
                SG,
                "Écrire la description OpenSearch de l'OPAC",
                "Développer le widget de recherche",
                "Tester le widget sur le serveur de test",
                "Montrer l'intégration au webmestre de la Ville",
            ),
            plan(6, SG, mode=REMOTE, period=(8, 25)),
            done(9, SG, "Écrire la description OpenSearch de l'OPAC"),
            note(14, SG, "Widget déployé sur le serveur de test de Karim."),
            done(14.1, SG, "Développer le widget de recherche"),
            start(15, SG),
            tell(16, SG, "Le widget est prêt sur notre serveur de test, pouvez-vous l'essayer ?"),
            answer(18, "C'est parfait, notre webmestre l'intègre la semaine prochaine."),
            done(18.1, SG, "Tester le widget sur le serveur de test"),
            session(
                18.2,
                SG,
                22,
                ("10:00", "11:00"),
                VISIO + "/montreuil",
                "Intégration du widget avec le webmestre de la Ville.",
            ),
            done(22.2, SG, "Montrer l'intégration au webmestre de la Ville"),
            deliverable(
                23,
                SG,
                DeliverableDetails(
                    "Description OpenSearch d'un OPAC Koha",
                    D.CONFIGURATION,
                    "MIT",
                    "Le fichier opensearch.xml à déposer dans l'OPAC et la balise à ajouter "
                    "dans l'en-tête : le catalogue apparaît dans la barre de recherche du "
                    "navigateur.",
                    True,
                    "1.0",
                    FORGE + "/koha-opensearch",
                ),
            ),
            deliverable(
                23.1,
                SG,
                DeliverableDetails(
                    "Widget de recherche dans le catalogue pour un site municipal",
                    D.PLUGIN,
                    "MIT",
                    "Un script de quelques lignes à coller dans n'importe quelle page ; "
                    "accessible au clavier, sans dépendance.",
                    True,
                    "1.0.0",
                    FORGE + "/widget-recherche-catalogue",
                ),
            ),
            transfer(
                23.5,
                SG,
                TransferDetails(
                    "Intégrer le widget dans une page, changer ses couleurs et son libellé, "
                    "mettre à jour l'adresse de l'OPAC.",
                    "Le webmestre de la Ville",
                    "Une courte séance à distance et le README du dépôt.",
                    through_documentation=True,
                ),
            ),
            deliver(24, SG, "Widget et fichier OpenSearch livrés (licence MIT)."),
        ),
        expected=S.DELIVERED,
    ),
    Scenario(
        "bd-morbihan",
        "Gwenaëlle Le Goff",
        "g.legoff",
        "Directrice adjointe",
        "Auditer la configuration SIP2 des automates de prêt",
        "Les automates de prêt de nos trois antennes refusent une partie des cartes depuis la "
        "mise à jour de Koha. Nous voudrions un regard extérieur sur la configuration SIP2 "
        "(comptes, droits, messages) avant de rappeler le fournisseur.",
        Kind.AUDIT,
        ("C2", "G2"),
        "Koha 24.05, automates RFID, serveur SIP2 de Koha",
        30,
        (
            review(1, KB),
            opinion(
                2,
                KB,
                TAKE,
                "Prendre. Probablement le paramètre de la catégorie de lecteur "
                "dans SIPconfig.xml, à vérifier sur pièce.",
                LEAD,
            ),
            opinion(
                2.5,
                EM,
                TAKE,
                "Je vérifie au passage la durée de conservation des journaux SIP2 "
                "(données des lecteurs).",
                ADVICE,
            ),
            opinion(3, SG, ABSTAIN, "Pas d'avis technique, favorable au principe."),
            decision(4, ML, S.ACCEPTED, "Audit à distance du serveur SIP2 et des journaux."),
            tasks(
                5,
                KB,
                "Obtenir un accès en lecture au SIPconfig.xml et aux journaux",
                "Rejouer les refus de cartes sur le serveur de test",
                "Rédiger le rapport d'audit",
                "Vérifier la durée de conservation des journaux SIP2",
            ),
            session(
                6.5, KB, 11, ("14:00", "16:00"), VISIO + "/morbihan", "Lecture des journaux SIP2."
            ),
            plan(7, KB, mode=REMOTE, period=(11, 20)),
            done(10, KB, "Obtenir un accès en lecture au SIPconfig.xml et aux journaux"),
            start(12, KB),
            done(14, KB, "Rejouer les refus de cartes sur le serveur de test"),
            done(15, EM, "Vérifier la durée de conservation des journaux SIP2"),
            deliverable(
                18,
                KB,
                DeliverableDetails(
                    "Rapport d'audit de la configuration SIP2",
                    D.REPORT,
                    "CC-BY-4.0",
                    "Les comptes SIP2, leurs droits et les messages refusés, avec les "
                    "corrections faites et celles qui restent à faire.",
                    False,
                    "1.0",
                    FORGE + "/morbihan-audit-sip2",
                ),
            ),
            deliverable(
                18.2,
                KB,
                DeliverableDetails(
                    "Modèle commenté de SIPconfig.xml pour automates de prêt",
                    D.CONFIGURATION,
                    "EUPL-1.2",
                    "Chaque paramètre du fichier expliqué, avec les valeurs qui conviennent aux "
                    "automates RFID courants et la catégorie de lecteur à ne pas oublier.",
                    True,
                    "1.0",
                    FORGE + "/koha-sipconfig-commente",
                ),
            ),
            done(18.3, KB, "Rédiger le rapport d'audit"),
            deliver(
                19,
                KB,
                "Rapport d'audit livré : deux comptes SIP2 corrigés, "
                "une règle de blocage à revoir.",
            ),
        ),
        contact_phone="02 99 47 11 30",
        expected=S.DELIVERED,
    ),
    # --- In progress -------------------------------------------------------------------------
    Scenario(
        "grenoble",
        "Claire Bertrand",
        "claire.bertrand",
        "Responsable des métadonnées",
        "Aligner nos autorités auteurs sur IdRef",
        "Notre fichier d'autorités auteurs (environ 60 000 notices) n'est relié à aucun "
        "référentiel. Nous aimerions ajouter les identifiants IdRef et ISNI quand ils "
        "existent, de façon semi-automatique, et traiter les cas douteux à la main.",
        Kind.TECHNICAL,
        ("B4", "B6"),
        "Koha 23.11, API IdRef, script Python",
        130,
        (
            review(2, JM),
            opinion(
                3,
                JM,
                TAKE,
                "Prendre en lead. Réutiliser le script d'alignement écrit pour Rennes 2.",
                LEAD,
            ),
            opinion(
                3.2,
                EM,
                TAKE,
                "Je peux aider sur la partie revue des cas douteux (tableur partagé).",
                CONTRIBUTOR,
            ),
            opinion(
                5,
                KB,
                TAKE,
                "Je peux aider à étaler les appels à l'API IdRef pour ne pas la surcharger.",
                ADVICE,
            ),
            decision(
                8, ML, S.ACCEPTED, "Le groupe prend la demande : alignement semi-automatique."
            ),
            tasks(
                9,
                JM,
                "Adapter le script d'alignement de Rennes 2",
                "Aligner un premier lot de 10 000 autorités",
                "Préparer le tableur de revue des cas douteux",
                "Aligner les lots suivants",
                "Former l'équipe à la revue et au script",
            ),
            session(11, JM, 18, ("10:00", "12:00"), VISIO + "/grenoble", "Cadrage et jeu d'essai."),
            session(
                11.1, JM, 60, ("10:00", "12:00"), VISIO + "/grenoble", "Revue du deuxième lot."
            ),
            session(
                11.2,
                JM,
                137,
                ("10:00", "12:00"),
                VISIO + "/grenoble",
                "Formation de l'équipe à la revue des cas douteux et au script.",
            ),
            plan(12, JM, "Trois séances à distance.", period=(18, 140)),
            deliverable(
                20,
                JM,
                DeliverableDetails(
                    "Alignement semi-automatique d'autorités sur IdRef et ISNI",
                    D.SCRIPT,
                    "EUPL-1.2",
                    "Interroge l'API IdRef par lots en respectant ses limites, classe les "
                    "candidats (sûr, douteux, absent) et prépare le tableur de revue.",
                    True,
                    "0.4.0",
                    FORGE + "/alignement-idref",
                ),
            ),
            done(20.1, JM, "Adapter le script d'alignement de Rennes 2"),
            start(25, JM, "Premier lot de 10 000 autorités aligné."),
            done(25.1, JM, "Aligner un premier lot de 10 000 autorités"),
            done(30, EM, "Préparer le tableur de revue des cas douteux"),
            tell(
                40,
                JM,
                "Le deuxième lot est prêt : 7 800 alignements sûrs, 900 à vérifier "
                "dans le tableur partagé.",
            ),
            version(
                41,
                KB,
                VersionDetails(
                    "Alignement semi-automatique d'autorités sur IdRef et ISNI",
                    "0.5.0",
                    FORGE + "/alignement-idref/-/releases/v0.5.0",
                    "Appels à l'API étalés et repris après une coupure.",
                ),
            ),
            answer(44, "Merci, nous avons commencé la vérification, elle sera finie fin du mois."),
        ),
        expected=S.IN_PROGRESS,
    ),
    Scenario(
        "roubaix",
        "Karine Dupont",
        "k.dupont",
        "Responsable des services aux publics",
        "Purger les comptes lecteurs inactifs (RGPD)",
        "Notre fichier lecteurs contient des comptes inactifs depuis plus de dix ans. Nous "
        "voudrions une procédure de purge conforme au RGPD : durée de conservation, "
        "anonymisation des statistiques, information des usagers.",
        Kind.TECHNICAL,
        ("A2", "J1"),
        "PMB 7.5",
        120,
        (
            review(1, EM),
            ask(
                2,
                EM,
                "Votre collectivité a-t-elle un DPO ? A-t-il déjà fixé une durée de "
                "conservation pour les données des usagers ?",
            ),
            answer(5, "Oui, le DPO de la Ville propose 3 ans après la dernière activité."),
            opinion(
                6, EM, TAKE, "Prendre. Script de purge PMB + modèle de mention d'information.", LEAD
            ),
            opinion(
                6.5,
                KB,
                TAKE,
                "Je peux écrire la requête de purge et la tester sur une copie de la base.",
                CONTRIBUTOR,
            ),
            opinion(7, JM, ABSTAIN, "Pas d'expertise RGPD ; favorable."),
            decision(
                9,
                ML,
                S.ACCEPTED,
                "Le groupe prend la demande : procédure de purge conforme au RGPD, script PMB "
                "et modèle d'information des usagers.",
            ),
            note(
                12,
                EM,
                "Copie de la base reçue de la Ville : à détruire après les tests.",
            ),
            tasks(
                13,
                EM,
                "Fixer la durée de conservation avec le DPO",
                "Écrire la requête de purge et la tester sur une copie",
                "Rédiger la mention d'information des usagers",
                "Détruire la copie de la base après les tests",
                "Purger en production avec l'équipe",
            ),
            done(13.1, EM, "Fixer la durée de conservation avec le DPO"),
            plan(14, EM, mode=MIXED, period=(20, 130)),
            session(15, EM, 21, ("14:00", "16:00"), VISIO + "/roubaix", "Procédure et mentions."),
            session(
                15.1,
                KB,
                124,
                ("09:30", "12:30"),
                "Médiathèque de Roubaix, salle de formation",
                "Purge en production avec l'équipe, sur place.",
            ),
            deliverable(
                28,
                KB,
                DeliverableDetails(
                    "Purge RGPD des comptes lecteurs inactifs pour PMB",
                    D.SCRIPT,
                    "GPL-3.0-or-later",
                    "Requête de purge paramétrée (durée de conservation), anonymisation des "
                    "statistiques de prêt, journal de ce qui a été supprimé.",
                    False,
                    "0.2",
                    FORGE + "/pmb-purge-rgpd",
                    "Testée sur une copie de la base ; à ne publier qu'après la purge réelle.",
                ),
            ),
            done(29, KB, "Écrire la requête de purge et la tester sur une copie"),
            start(30, EM, "Script testé sur une copie de la base."),
            deliverable(
                40,
                EM,
                DeliverableDetails(
                    "Modèle de mention d'information des usagers sur la conservation",
                    D.REPORT,
                    "CC0-1.0",
                    "Texte court pour le règlement intérieur, le site et le formulaire "
                    "d'inscription, à adapter avec le DPO de la collectivité.",
                    True,
                    "1.0",
                    FORGE + "/modele-mention-rgpd",
                ),
            ),
            done(40.1, EM, "Rédiger la mention d'information des usagers"),
            session(
                40.2,
                KB,
                62,
                ("14:00", "16:00"),
                VISIO + "/roubaix",
                "Relecture du journal de purge de la copie avec l'équipe et le DPO.",
            ),
            done(41, EM, "Détruire la copie de la base après les tests"),
        ),
        expected=S.IN_PROGRESS,
    ),
    Scenario(
        "nice",
        "Laurent Mercier",
        "laurent.mercier",
        "Chef de projet portail",
        "Facettes « genre » et « public » dans le portail Bokeh",
        "Les facettes de notre portail ne proposent ni le genre (roman policier, science-"
        "fiction…) ni le public (jeunesse, adulte). Les données existent dans nos notices "
        "mais ne remontent pas. Nous aimerions comprendre pourquoi et corriger.",
        Kind.TECHNICAL,
        ("D1", "D2"),
        "Bokeh 9, Koha 23.11",
        100,
        (
            review(1, SG),
            opinion(2, SG, TAKE, "Prendre. Sans doute le mapping des zones 686 et 995$q.", LEAD),
            opinion(
                3,
                JM,
                TAKE,
                "Je vérifie côté notices que les 686 et 995$q sont bien remplies.",
                CONTRIBUTOR,
            ),
            opinion(3.5, KB, ABSTAIN, "Rien à ajouter."),
            decision(
                5,
                ML,
                S.ACCEPTED,
                "Le groupe prend la demande : diagnostic du mapping des facettes et correction "
                "accompagnée.",
            ),
            tasks(
                6,
                SG,
                "Vérifier le remplissage des zones 686 et 995$q",
                "Diagnostiquer le mapping des facettes",
                "Corriger le mapping en préproduction",
                "Réindexer la production",
            ),
            session(7, SG, 12, ("14:00", "16:00"), VISIO + "/nice", "Diagnostic du mapping."),
            plan(8, SG, "Séance de diagnostic à distance.", period=(12, 110)),
            done(10, JM, "Vérifier le remplissage des zones 686 et 995$q"),
            done(12.2, SG, "Diagnostiquer le mapping des facettes"),
            start(20, SG, "Mapping corrigé en préproduction."),
            done(20.1, SG, "Corriger le mapping en préproduction"),
            session(
                20.15,
                SG,
                45,
                ("14:00", "15:30"),
                VISIO + "/nice",
                "Recette des facettes en préproduction avec l'équipe.",
            ),
            session(
                20.2,
                SG,
                104,
                ("14:00", "15:30"),
                VISIO + "/nice",
                "Réindexation de la production et vérification des facettes.",
            ),
        ),
        expected=S.IN_PROGRESS,
    ),
    # --- Planned -----------------------------------------------------------------------------
    Scenario(
        "caen",
        "Hélène Marie",
        "helene.marie",
        "Responsable du patrimoine",
        "Exposer le fonds normand en OAI-PMH",
        "Nous voudrions que le fonds normand (12 000 notices dont 800 numérisées) soit "
        "moissonné par la bibliothèque numérique régionale. Faut-il activer le serveur OAI "
        "de Koha ou passer par Omeka S ?",
        Kind.ADVICE,
        ("C4", "F3"),
        "Koha 23.11, Omeka S",
        28,
        (
            review(2, JM),
            recuse(
                2.5,
                EM,
                "Je fais partie du jury de recrutement du futur responsable du patrimoine de "
                "Caen : je me mets en retrait.",
            ),
            opinion(
                3,
                JM,
                TAKE,
                "Je prends : le serveur OAI de Koha suffit pour le moissonnage régional, Omeka S "
                "seulement pour les documents numérisés.",
                LEAD,
            ),
            opinion(4, SG, TAKE, "Je peux aider sur la partie Omeka S.", CONTRIBUTOR),
            opinion(
                5,
                KB,
                TAKE,
                "Je vérifie la charge du serveur si le moissonnage est quotidien.",
                ADVICE,
            ),
            decision(6, ML, S.ACCEPTED, "Conseil et accompagnement au paramétrage OAI-PMH."),
            tasks(
                9,
                JM,
                "Vérifier la version du serveur OAI de Koha",
                "Définir le jeu OAI du fonds normand",
                "Paramétrer et tester le moissonnage régional",
            ),
            done(9.5, JM, "Vérifier la version du serveur OAI de Koha"),
            session(
                9.8,
                JM,
                31,
                ("14:00", "16:30"),
                VISIO + "/caen",
                "Paramétrage du serveur OAI et du jeu « fonds normand ».",
            ),
            plan(
                10,
                JM,
                "Séance prévue dans trois semaines (agenda du patrimoine).",
                period=(31, 60),
            ),
        ),
        expected=S.PLANNED,
    ),
    Scenario(
        "bd-cher",
        "Sylvie Perrin",
        "s.perrin",
        "Chargée de mission réseau",
        "Former les bibliothèques du réseau à la saisie NeoScrib",
        "Chaque année, la moitié des bibliothèques de notre réseau rend un rapport NeoScrib "
        "incomplet. Nous voudrions une formation courte et des requêtes prêtes à l'emploi "
        "dans Orphée pour les données de prêt et de collections.",
        Kind.TRAINING,
        ("I1",),
        "Orphée NX, NeoScrib",
        35,
        (
            review(1, EM),
            tell(
                3,
                EM,
                "Bonjour, combien de bibliothèques seraient concernées, et sur site ou "
                "à distance ?",
            ),
            answer(4, "Une vingtaine ; à distance serait plus simple pour les bénévoles."),
            opinion(
                5,
                EM,
                TAKE,
                "Je prends : formation courte et requêtes Orphée, j'ai fait la même chose pour "
                "mon réseau.",
                LEAD,
            ),
            opinion(5.5, KB, TAKE, "Je peux écrire les requêtes Orphée.", CONTRIBUTOR),
            opinion(
                6,
                ML,
                TAKE,
                "Favorable ; la BD de la Drôme a des supports NeoScrib à partager.",
                ADVICE,
            ),
            decision(
                7,
                ML,
                S.ACCEPTED,
                "Le groupe prend la demande : deux sessions de formation à distance et des "
                "requêtes prêtes à l'emploi.",
            ),
            tasks(
                11,
                EM,
                "Adapter les supports NeoScrib de la Drôme",
                "Écrire les requêtes Orphée (prêts, collections)",
                "Inscrire les bibliothèques aux deux sessions",
            ),
            session(
                11.5,
                EM,
                48,
                ("09:30", "12:00"),
                VISIO + "/cher-neoscrib",
                "Session 1 : les données de collections.",
            ),
            session(
                11.6,
                KB,
                55,
                ("09:30", "12:00"),
                VISIO + "/cher-neoscrib",
                "Session 2 : les données de prêt et les requêtes Orphée.",
            ),
            plan(12, EM, "Deux sessions à distance en janvier.", period=(48, 60)),
            done(20, ML, "Adapter les supports NeoScrib de la Drôme"),
        ),
        desired=(30, 75),
        expected=S.PLANNED,
    ),
    Scenario(
        "pau-scd",
        "Marc Vidal",
        "marc.vidal",
        "Responsable du pilotage",
        "Tableau de bord ESGBU à partir des extractions du SIGB",
        "La collecte ESGBU nous prend trois semaines par an. Nous voudrions un tableau de bord "
        "alimenté par des extractions régulières, qui prépare les chiffres de l'enquête.",
        Kind.TECHNICAL,
        ("I2", "I3"),
        "Alma, Metabase",
        25,
        (
            review(1, EM),
            opinion(
                2, KB, TAKE, "Je peux aider pour l'automatisation des extractions.", CONTRIBUTOR
            ),
            opinion(
                3,
                EM,
                TAKE,
                "Je prends : tableau de bord Metabase alimenté par des extractions Alma.",
                LEAD,
            ),
            opinion(4, SG, TAKE, "Je peux conseiller sur la présentation des indicateurs.", ADVICE),
            decision(
                6,
                ML,
                S.ACCEPTED,
                "Le groupe prend la demande : tableau de bord ESGBU alimenté par des extractions "
                "régulières.",
            ),
            note(6.2, EM, "Demander un accès de test à Alma Analytics avant la première séance."),
            tasks(
                6.3,
                EM,
                "Obtenir un accès de test à Alma Analytics",
                "Lister les indicateurs ESGBU à calculer",
                "Monter le tableau de bord Metabase",
            ),
            session(
                10.5,
                EM,
                32,
                ("09:00", "17:00"),
                "SCD de Pau, salle de réunion du pilotage",
                "Journée sur place : extractions Alma et premiers indicateurs.",
            ),
            plan(11, EM, mode=ON_SITE, period=(32, 70)),
            done(15, EM, "Obtenir un accès de test à Alma Analytics"),
        ),
        expected=S.PLANNED,
    ),
    # --- Accepted ----------------------------------------------------------------------------
    Scenario(
        "jean-mace",
        "Camille Martin",
        "camille.martin",
        "Responsable SIGB",
        "Notices en double après import des offices",
        "Depuis que nous importons les notices des offices de la librairie, le catalogue "
        "contient des doublons (même ISBN, deux notices). Nous voudrions fusionner l'existant "
        "et éviter les nouveaux doublons.",
        Kind.TECHNICAL,
        ("B3", "B6"),
        "Koha 23.11, Electre",
        21,
        (
            review(2, JM),
            opinion(
                3,
                JM,
                TAKE,
                "Prendre. Règle de dédoublonnage sur ISBN/EAN à l'import et script de fusion.",
                LEAD,
            ),
            opinion(
                4, KB, TAKE, "Je peux écrire le script de fusion des exemplaires.", CONTRIBUTOR
            ),
            opinion(5, SG, ABSTAIN, "Favorable, pas d'avis technique."),
            decision(7, ML, S.ACCEPTED, "Le groupe prend la demande."),
        ),
        expected=S.ACCEPTED,
    ),
    Scenario(
        "quimper",
        "Yann Le Bihan",
        "yann.lebihan",
        "Coordinateur du réseau",
        "Paramétrer les navettes et transferts entre médiathèques",
        "Nos sept médiathèques échangent des documents par navette deux fois par semaine. "
        "Les transferts dans Koha ne suivent pas la tournée réelle. Comment paramétrer les "
        "règles de retour et de transfert ?",
        Kind.ADVICE,
        ("A6",),
        "Koha 24.05",
        15,
        (
            review(1, JM),
            opinion(
                2,
                ML,
                TAKE,
                "Je prends : les navettes de la Drôme se paramètrent de la même façon.",
                LEAD,
            ),
            opinion(2.5, JM, TAKE, "Je peux être là pour la séance.", CONTRIBUTOR),
            decision(
                4,
                ML,
                S.ACCEPTED,
                "Conseil : une séance de paramétrage accompagné.",
                override="Demande simple et deux membres disponibles ; la tournée des navettes "
                "change le mois prochain, inutile d'attendre les autres avis.",
            ),
        ),
        expected=S.ACCEPTED,
    ),
    Scenario(
        "marseille",
        "Sandrine Rey",
        "sandrine.rey",
        "Cheffe de projet web",
        "Vérifier l'accessibilité RGAA des pages du portail",
        "Avant la refonte de la charte graphique, nous voudrions un audit rapide de "
        "l'accessibilité des pages clés du portail (accueil, recherche, compte lecteur).",
        Kind.AUDIT,
        ("D5", "D1"),
        "Syracuse",
        18,
        (
            review(2, SG),
            opinion(
                3,
                SG,
                TAKE,
                "Prendre un audit léger sur 5 pages ; un audit complet relèverait d'un "
                "prestataire.",
                LEAD,
            ),
            opinion(
                4,
                EM,
                TAKE,
                "Je peux faire la partie formulaires du compte lecteur.",
                CONTRIBUTOR,
            ),
            opinion(4.5, KB, ABSTAIN, "Pas d'avis sur Syracuse."),
            decision(6, ML, S.ACCEPTED, "Audit léger de cinq pages-types."),
            note(6.2, SG, "Grille RGAA 4.1 ; pages : accueil, recherche, notice, compte, agenda."),
        ),
        expected=S.ACCEPTED,
    ),
    Scenario(
        "annecy",
        "Pierre Chevalier",
        "p.chevalier",
        "Catalogueur",
        "Récupérer des notices par SRU BnF dans le module de catalogage",
        "Nous récupérons encore les notices de la BnF à la main. Peut-on interroger le "
        "serveur SRU de la BnF directement depuis Orphée ?",
        Kind.TECHNICAL,
        ("B2",),
        "Orphée NX, SRU BnF",
        12,
        (
            review(1, JM),
            ask(
                2,
                JM,
                "Quelle version exacte d'Orphée avez-vous, et le module Z39.50/SRU "
                "est-il inclus dans votre contrat ?",
            ),
            answer(4, "Orphée NX 3.2 ; le module est bien dans notre contrat."),
            opinion(
                5,
                JM,
                TAKE,
                "Je prends : le paramétrage SRU est documenté par la BnF, une séance suffit.",
                LEAD,
            ),
            opinion(5.5, ML, TAKE, "Je connais bien Orphée NX, je peux aider.", ADVICE),
            opinion(6, SG, ABSTAIN, "Pas d'avis."),
            decision(
                7,
                ML,
                S.ACCEPTED,
                "Le groupe prend la demande : paramétrage accompagné de l'interrogation SRU de "
                "la BnF dans Orphée.",
            ),
        ),
        expected=S.ACCEPTED,
    ),
    # --- Referred ----------------------------------------------------------------------------
    Scenario(
        "evry",
        "Nadia Haddad",
        "n.haddad",
        "Directrice du réseau",
        "Rédiger le cahier des charges du remplacement de notre SIGB",
        "Notre marché SIGB arrive à échéance dans 18 mois. Nous aimerions que la cellule "
        "rédige le cahier des charges et nous accompagne pendant la consultation.",
        Kind.ADVICE,
        ("K2", "K1"),
        "Decalog SIGB 7",
        110,
        (
            review(1, ML),
            opinion(
                2,
                JM,
                REFER,
                "Réorienter. Rédiger un marché complet est un travail lourd, "
                "hors de notre périmètre.",
                partners=("tosca", "sixetdix"),
            ),
            opinion(
                2.5,
                SG,
                REFER,
                "Même avis ; on peut leur conseiller la DRAC pour la DGD.",
                partners=("drac",),
            ),
            opinion(
                3,
                ML,
                REFER,
                "D'accord, avec la formation de l'Enssib sur la réinformatisation.",
                partners=("drac", "enssib"),
            ),
            decision(
                5,
                ML,
                S.REFERRED,
                "La rédaction complète d'un marché dépasse les "
                "interventions légères de la cellule. Nous vous orientons vers le conseiller "
                "livre et lecture de la DRAC Île-de-France (financement DGD) et vers une "
                "assistance à maîtrise d'ouvrage ; l'Enssib propose aussi une formation sur la "
                "réinformatisation.",
                partners=("drac", "tosca", "sixetdix", "enssib"),
                message="Commencez par le conseiller livre et lecture de la DRAC : la DGD peut "
                "financer l'assistance à maîtrise d'ouvrage. Tosca Consultants et Six&Dix "
                "accompagnent ce type de marché. Nous restons disponibles pour relire votre "
                "cahier des charges avant sa publication.",
            ),
            feedback(
                21,
                True,
                "La DRAC nous a reçus et la DGD couvrira l'assistance à maîtrise d'ouvrage. "
                "Merci !",
            ),
        ),
        expected=S.REFERRED,
    ),
    Scenario(
        "lannion",
        "Erwan Le Gall",
        "erwan.legall",
        "Responsable de l'espace numérique",
        "Le wifi public de la médiathèque ne fonctionne plus",
        "Depuis un mois, le wifi public coupe toutes les dix minutes. La mairie n'a pas de "
        "service informatique.",
        Kind.TECHNICAL,
        ("H2", "H3"),
        "Bornes wifi, pare-feu de la mairie",
        75,
        (
            review(1, KB),
            opinion(
                1.5,
                KB,
                REFER,
                "Réorienter vers l'opérateur public de services numériques "
                "de la région, c'est de l'infrastructure.",
                partners=("opsn",),
            ),
            opinion(
                2,
                EM,
                REFER,
                "D'accord ; la cybersécurité des petites communes est aussi leur métier.",
                partners=("opsn", "cybermalveillance"),
            ),
            opinion(2.5, SG, REFER, "Même avis.", partners=("opsn",)),
            decision(
                3,
                ML,
                S.REFERRED,
                "Ce problème relève de l'infrastructure réseau. Nous vous "
                "orientons vers l'opérateur public de services numériques de Bretagne, qui "
                "accompagne les communes pour le wifi public et la cybersécurité.",
                partners=("opsn",),
                message="Écrivez à l'opérateur en précisant le modèle de vos bornes wifi et "
                "l'heure des coupures ; joignez si possible une capture de la console du "
                "pare-feu de la mairie.",
            ),
            feedback(
                16,
                False,
                "L'opérateur ne prend en charge que les communes adhérentes, et la nôtre ne "
                "l'est pas. Nous avons dû faire appel à une entreprise locale.",
            ),
        ),
        expected=S.REFERRED,
    ),
    Scenario(
        "ajaccio",
        "Marie-Ange Santoni",
        "ma.santoni",
        "Responsable des ressources numériques",
        "Lancer le prêt de livres numériques (PNB)",
        "Nous voudrions proposer des livres numériques à nos lecteurs. Par où commencer : "
        "contrats, catalogue, intégration au portail ?",
        Kind.ADVICE,
        ("E1", "E3"),
        "Orphée NX",
        65,
        (
            review(2, SG),
            opinion(
                3,
                SG,
                REFER,
                "Carel pour les offres et la négociation, Dilicom pour le hub PNB.",
                partners=("carel", "dilicom"),
            ),
            opinion(3.5, EM, REFER, "D'accord.", partners=("carel",)),
            opinion(4, KB, ABSTAIN, "Pas d'avis sur PNB."),
            decision(
                5,
                ML,
                S.REFERRED,
                "Le Réseau Carel accompagne les bibliothèques qui se "
                "lancent dans PNB (offres, négociation) et Dilicom gère le hub. Nous restons "
                "disponibles ensuite pour l'intégration au portail.",
                partners=("carel", "dilicom"),
                message="Le Réseau Carel vous aidera à choisir vos premières offres ; Dilicom "
                "ouvrira votre accès au hub PNB. Revenez vers nous pour l'intégration au "
                "portail Orphée.",
            ),
            answer(7, "Merci pour ces contacts, nous écrivons au Réseau Carel."),
            feedback(
                30,
                True,
                "Le Réseau Carel nous a aidés à choisir nos premières offres : le prêt numérique "
                "est ouvert depuis la semaine dernière.",
            ),
        ),
        contact_phone="04 99 20 15 40",
        expected=S.REFERRED,
    ),
    # --- Declined ----------------------------------------------------------------------------
    Scenario(
        "bayonne",
        "Julie Etcheverry",
        "j.etcheverry",
        "Directrice",
        "Développer une application mobile pour la médiathèque",
        "Nous souhaitons une application mobile (iOS et Android) avec le catalogue, le compte "
        "lecteur et l'agenda culturel.",
        Kind.TECHNICAL,
        ("D1",),
        "Koha 23.11, site de la Ville",
        90,
        (
            review(1, SG),
            opinion(2, SG, DECLINE, "Ne pas retenir. Développement lourd, marché concurrentiel."),
            opinion(2.5, KB, DECLINE, "D'accord ; leur OPAC Koha est déjà adaptatif."),
            opinion(3, JM, DECLINE, "Hors de notre périmètre."),
            decision(
                4,
                ML,
                S.DECLINED,
                "Le développement d'une application mobile dépasse les "
                "interventions légères de la cellule et relève d'un marché de prestation. "
                "Votre OPAC Koha est déjà adaptatif : nous pouvons vous conseiller pour "
                "l'améliorer si vous le souhaitez.",
            ),
        ),
        expected=S.DECLINED,
    ),
    Scenario(
        "gap",
        "François Blanc",
        "f.blanc",
        "Responsable de l'EPN",
        "Acheter et installer douze postes publics",
        "Nous devons renouveler les douze postes de l'espace public numérique et cherchons "
        "quelqu'un pour les acheter et les installer.",
        Kind.TECHNICAL,
        ("H1",),
        "Windows 10, logiciel de réservation",
        35,
        (
            review(1, KB),
            opinion(1.5, KB, DECLINE, "Achat et installation de matériel : hors de nos missions."),
            decision(
                3,
                ML,
                S.DECLINED,
                "L'achat et l'installation de matériel ne font pas partie "
                "des missions de la cellule. Le service informatique de la Ville ou votre "
                "opérateur public de services numériques sont les bons interlocuteurs.",
                override="Hors périmètre manifeste (achat de matériel) : inutile d'attendre "
                "les autres avis pour répondre à la bibliothèque.",
            ),
        ),
        expected=S.DECLINED,
    ),
    # --- Withdrawn, from several states ------------------------------------------------------
    Scenario(
        "tours",
        "Aurélie Fabre",
        "a.fabre",
        "Chargée des statistiques",
        "Exporter les statistiques de prêt pour le conseil municipal",
        "Nous devons présenter au conseil municipal l'évolution des prêts par quartier sur "
        "cinq ans.",
        Kind.ADVICE,
        ("I3",),
        "Decalog SIGB 7",
        40,
        (withdraw(2, "Notre prestataire a finalement fourni l'export, merci."),),
        expected=S.WITHDRAWN,
    ),
    Scenario(
        "amiens",
        "Benoît Leroy",
        "b.leroy",
        "Responsable informatique documentaire",
        "Migrer les données de PMB vers Koha",
        "Le réseau envisage de quitter PMB pour Koha. Nous voudrions un avis sur la migration "
        "des données : notices, exemplaires, lecteurs et historique des prêts.",
        Kind.ADVICE,
        ("C1",),
        "PMB 7.4 vers Koha 24.05",
        150,
        (
            review(2, JM),
            opinion(
                3,
                JM,
                TAKE,
                "Conseil possible, la migration elle-même sera confiée à un prestataire.",
                ADVICE,
            ),
            withdraw(10, "Le projet de migration est reporté à 2027 par la collectivité."),
        ),
        expected=S.WITHDRAWN,
    ),
    Scenario(
        "rouen",
        "Céline Gauthier",
        "celine.gauthier",
        "Bibliothécaire",
        "Étiquettes RFID illisibles par les nouveaux automates",
        "Les nouveaux automates de retour ne lisent pas environ 15 % de nos étiquettes RFID.",
        Kind.TECHNICAL,
        ("G1", "G2"),
        "Koha 23.11, RFID ISO 28560-3",
        45,
        (
            review(1, KB),
            ask(
                2,
                KB,
                "Vos étiquettes sont-elles encodées au format ISO 28560-2 ou -3 ? "
                "Pouvez-vous lire une étiquette défaillante avec la platine de prêt ?",
            ),
            withdraw(8, "Le fournisseur a remplacé les antennes, le problème est réglé."),
        ),
        expected=S.WITHDRAWN,
    ),
    Scenario(
        "bd-oise",
        "Vincent Morel",
        "v.morel",
        "Chef du service réseau",
        "Fusionner les fichiers lecteurs de deux communes",
        "Deux communes du réseau fusionnent leurs bibliothèques au 1er janvier ; leurs "
        "fichiers lecteurs se recouvrent en partie.",
        Kind.TECHNICAL,
        ("A2",),
        "Koha 23.11",
        100,
        (
            review(1, KB),
            opinion(
                2,
                KB,
                TAKE,
                "Je prends : dédoublonnage sur nom, prénom et date de naissance, puis fusion.",
                LEAD,
            ),
            opinion(
                3,
                EM,
                TAKE,
                "Je prépare l'information des usagers des deux communes (RGPD).",
                CONTRIBUTOR,
            ),
            opinion(4, JM, ABSTAIN, "Pas d'objection."),
            decision(
                5,
                ML,
                S.ACCEPTED,
                "Le groupe prend la demande : dédoublonnage et fusion accompagnée des deux "
                "fichiers lecteurs.",
            ),
            withdraw(20, "La fusion des communes est repoussée, nous reviendrons vers vous."),
        ),
        expected=S.WITHDRAWN,
    ),
    # --- Needs information: the team waits for the library's answer ---------------------
    Scenario(
        "brest",
        "Morgane Kerbrat",
        "m.kerbrat",
        "Responsable SIGB",
        "Les relances par SMS ne partent plus",
        "Depuis la mise à jour de Koha, les relances et avis de réservation par SMS ne "
        "partent plus. Les courriels fonctionnent.",
        Kind.ADVICE,
        ("A1", "C2"),
        "Koha 23.11, passerelle SMS",
        12,
        (
            review(1, KB),
            ask(
                2,
                KB,
                "Pouvez-vous nous envoyer le message d'erreur du journal de la file "
                "d'attente des messages, et le nom de votre passerelle SMS ?",
            ),
        ),
        contact_phone="02 99 80 42 11",
        expected=S.NEEDS_INFO,
    ),
    Scenario(
        "dijon",
        "Antoine Renaud",
        "antoine.renaud",
        "Chargé de la bibliothèque numérique",
        "Le moissonnage OAI-PMH de notre entrepôt échoue",
        "Le moissonneur régional signale une erreur sur notre entrepôt OAI-PMH depuis le mois "
        "dernier ; nous ne savons pas lire le message.",
        Kind.ADVICE,
        ("C4",),
        "Omeka S 4",
        20,
        (
            review(2, JM),
            ask(
                3,
                JM,
                "Pouvez-vous nous donner l'adresse de l'entrepôt et le message exact "
                "renvoyé au moissonneur ?",
            ),
        ),
        expected=S.NEEDS_INFO,
    ),
    Scenario(
        "angers",
        "Delphine Caron",
        "d.caron",
        "Responsable des collections adultes",
        "Cotes Dewey incohérentes après réindexation",
        "Après la réindexation, une partie des exemplaires affiche une cote Dewey différente "
        "de l'étiquette.",
        Kind.ADVICE,
        ("B7",),
        "Koha 24.05",
        16,
        (
            review(1, JM),
            ask(
                2,
                JM,
                "Combien d'exemplaires sont concernés, et la cote fausse vient-elle de "
                "la notice (676) ou de l'exemplaire (995$k) ?",
            ),
        ),
        expected=S.NEEDS_INFO,
    ),
    Scenario(
        "pays-flechois",
        "Stéphane Lemoine",
        "s.lemoine",
        "Responsable informatique",
        "Connexion unique des agents au SIGB",
        "Nous voudrions que les agents se connectent au SIGB avec leur compte de la "
        "communauté de communes (annuaire LDAP).",
        Kind.TECHNICAL,
        ("C2",),
        "PMB 7.5, annuaire LDAP",
        25,
        (
            review(2, KB),
            note(3, KB, "Faisable si leur annuaire est joignable depuis le serveur PMB."),
            ask(
                3.5,
                KB,
                "Votre serveur PMB est-il hébergé par la communauté de communes ou "
                "chez PMB Services ?",
            ),
        ),
        expected=S.NEEDS_INFO,
    ),
    Scenario(
        "bd-aveyron",
        "Christine Vernhes",
        "c.vernhes",
        "Responsable du catalogue",
        "Recommandation 995 : importer les notices du réseau",
        "Nous voulons transmettre nos notices aux bibliothèques du réseau au format de la "
        "recommandation 995, mais les exemplaires arrivent sans localisation.",
        Kind.TECHNICAL,
        ("C3", "B7"),
        "Orphée NX, Koha 22.11 (réseau)",
        30,
        (
            review(1, JM),
            note(2, JM, "Les sous-champs $b et $c de la 995 sont sans doute vides à l'export."),
            ask(3, JM, "Pouvez-vous nous transmettre un fichier d'export de quelques notices ?"),
        ),
        expected=S.NEEDS_INFO,
    ),
    Scenario(
        "montpellier",
        "Romain Pujol",
        "r.pujol",
        "Chargé des ressources numériques",
        "Statistiques d'usage des ressources numériques",
        "Nous voulons réunir les statistiques d'usage de nos six ressources numériques "
        "(presse, VOD, autoformation) dans un seul tableau.",
        Kind.ADVICE,
        ("E4", "I3"),
        "Portail Bokeh, fournisseurs COUNTER 5",
        9,
        (
            review(1, EM),
            ask(
                2,
                EM,
                "Vos fournisseurs livrent-ils tous des rapports COUNTER 5, ou certains "
                "seulement des tableurs maison ?",
            ),
        ),
        expected=S.NEEDS_INFO,
    ),
    # --- Under review, some after the library answered a question -----------------------
    Scenario(
        "limoges",
        "Frédéric Barre",
        "f.barre",
        "Administrateur du SIGB",
        "Mettre à jour Koha de la 22.11 à la 24.05",
        "Nous hébergeons Koha nous-mêmes et voulons passer à la 24.05 sans interruption "
        "pendant les heures d'ouverture. Quelles précautions prendre ?",
        Kind.ADVICE,
        ("A5",),
        "Koha 22.11 sur Debian 11",
        14,
        (
            review(2, KB),
            opinion(3, KB, TAKE, "Prendre. Conseil + relecture de leur plan de mise à jour.", LEAD),
            opinion(
                5,
                JM,
                TAKE,
                "Je relis la partie réindexation, c'est elle qui prend du temps.",
                ADVICE,
            ),
        ),
        expected=S.UNDER_REVIEW,
    ),
    Scenario(
        "nancy-scd",
        "Émilie Schmitt",
        "e.schmitt",
        "Responsable du signalement",
        "Ajouter les identifiants ARK et PPN aux notices locales",
        "Nous voulons enrichir nos notices locales avec les PPN du Sudoc et les ARK de la "
        "BnF pour préparer la transition bibliographique.",
        Kind.TECHNICAL,
        ("B6", "B5"),
        "Alma, Sudoc",
        10,
        (
            review(1, JM),
            opinion(
                2,
                JM,
                TAKE,
                "Je prends : alignement par les web services de l'Abes (isbn2ppn) puis de la "
                "BnF pour les ARK.",
                LEAD,
            ),
        ),
        expected=S.UNDER_REVIEW,
    ),
    Scenario(
        "troyes",
        "Patrick Collin",
        "p.collin",
        "Conservateur",
        "Préparer la base à la transition bibliographique (IFLA LRM)",
        "Nous voudrions un diagnostic de notre base au regard de la transition "
        "bibliographique et un plan d'action réaliste pour les trois prochaines années.",
        Kind.AUDIT,
        ("B5", "K1"),
        "Koha 23.11",
        22,
        (
            review(1, JM),
            ask(
                3, JM, "Combien de notices compte la base, et avez-vous déjà des notices d'œuvre ?"
            ),
            answer(6, "Environ 280 000 notices, aucune notice d'œuvre pour l'instant."),
            opinion(
                7,
                JM,
                TAKE,
                "Prendre un diagnostic léger ; le plan d'action peut s'appuyer sur les outils "
                "de la BnF.",
                LEAD,
            ),
            invite(
                7.5,
                JM,
                "claire.dumas@transition-bibliographique.example.fr",
                "Claire Dumas",
                "Votre regard sur un diagnostic léger de la base de Troyes nous serait utile.",
            ),
            expert(
                10,
                TAKE,
                "Un diagnostic léger est utile et suffit pour commencer : s'appuyer sur "
                "Bibliostratus pour les alignements et sur le programme Transition "
                "bibliographique pour le plan d'action.",
            ),
            note(10.2, JM, "L'avis de Claire Dumas rejoint le mien ; il manque encore deux avis."),
        ),
        expected=S.UNDER_REVIEW,
    ),
    Scenario(
        "forney",
        "Anne Mallet",
        "a.mallet",
        "Responsable des fonds patrimoniaux",
        "Signaler nos fonds d'affiches dans le CCFr",
        "Nos fonds d'affiches ne sont signalés nulle part. Comment les décrire et les "
        "rendre visibles dans le CCFr ?",
        Kind.ADVICE,
        ("F3",),
        "Catalogue local, tableurs",
        35,
        (
            review(2, SG),
            ask(
                4,
                SG,
                "Vos fonds sont-ils décrits dans un tableur ou un logiciel ? Combien "
                "d'affiches environ ?",
            ),
            answer(9, "Dans des tableurs, environ 25 000 affiches réparties en 40 fonds."),
            opinion(
                10,
                SG,
                REFER,
                "Conseil sur la description, puis réorientation possible vers "
                "la BnF pour le signalement.",
                partners=("bnf-coop",),
            ),
            note(12, SG, "Relancer Julien : son avis sur le signalement dans le CCFr est attendu."),
        ),
        expected=S.UNDER_REVIEW,
    ),
    Scenario(
        "clermont-scd",
        "Guillaume Roche",
        "g.roche",
        "Responsable des ressources électroniques",
        "Authentifier les lecteurs aux ressources électroniques via le portail",
        "Nous voudrions que les lecteurs accèdent aux ressources électroniques depuis le "
        "portail avec leur compte universitaire, sans seconde connexion.",
        Kind.ADVICE,
        ("E3", "C2"),
        "EZproxy, CAS, Primo",
        18,
        (
            review(1, SG),
            ask(
                2,
                SG,
                "Utilisez-vous déjà EZproxy pour l'accès distant, et votre CAS "
                "est-il fédéré (Renater) ?",
            ),
            answer(5, "Oui pour EZproxy ; le CAS est fédéré via Renater."),
            opinion(
                6,
                SG,
                TAKE,
                "Je prends : EZproxy et CAS fédéré, c'est surtout de la configuration ; "
                "prévoir une séance avec leur DSI.",
                LEAD,
            ),
            opinion(7, KB, TAKE, "Je peux aider sur la partie CAS.", CONTRIBUTOR),
        ),
        expected=S.UNDER_REVIEW,
    ),
    Scenario(
        "villeurbanne",
        "Sarah Benhamou",
        "s.benhamou",
        "Médiatrice numérique",
        "Réserver les postes publics de l'EPN en ligne",
        "Les usagers voudraient réserver un poste de l'espace numérique depuis le portail, "
        "avec leur carte de bibliothèque.",
        Kind.ADVICE,
        ("H1", "C2"),
        "Koha 23.11, logiciel de gestion des postes",
        8,
        (
            review(1, KB),
            note(2, KB, "Il existe un plugin Koha pour ça ; vérifier leur logiciel de postes."),
            opinion(
                3,
                KB,
                TAKE,
                "Prendre si leur logiciel de postes a une API ; sinon réorienter.",
                LEAD,
            ),
        ),
        expected=S.UNDER_REVIEW,
    ),
    Scenario(
        "cherbourg",
        "Ludovic Hamel",
        "l.hamel",
        "Responsable de la médiathèque",
        "Sauvegarder la base PMB",
        "Notre base PMB est sur un serveur dans un placard, sans sauvegarde connue. Que "
        "faire en priorité ?",
        Kind.ADVICE,
        ("H3", "A5"),
        "PMB 7.3",
        6,
        (review(2, KB),),
        expected=S.UNDER_REVIEW,
    ),
    Scenario(
        "poitiers",
        "Agnès Poirier",
        "a.poirier",
        "Chargée des collections",
        "Extraire les documents jamais prêtés depuis cinq ans",
        "Nous préparons un désherbage et voudrions la liste des documents jamais empruntés "
        "depuis cinq ans, par section.",
        Kind.ADVICE,
        ("A4",),
        "Koha 23.11",
        5,
        (
            review(1, EM),
            tell(
                1.2,
                EM,
                "Bonjour, le groupe étudie votre demande et vous répond d'ici quelques jours.",
            ),
        ),
        expected=S.UNDER_REVIEW,
    ),
    Scenario(
        "grenoble",
        "Hélène Roux",
        "h.roux",
        "Directrice adjointe, chargée du système d'information",
        "Réinformatisation du réseau : reprise complète des données d'Orphée vers Koha",
        "Le réseau quitte Orphée pour Koha l'an prochain. Nous voudrions que la cellule "
        "reprenne l'ensemble des données (notices, exemplaires, lecteurs, historique des prêts) "
        "et rédige avec nous le cahier des charges du marché public d'hébergement.",
        Kind.TECHNICAL,
        ("C1", "K2"),
        "Orphée 6.2, Koha 24.05",
        7,
        (
            review(1, JM),
            estimate(2, JM, "45"),
            opinion(
                2.2,
                JM,
                REFER,
                "Réorienter. Une reprise complète et un marché, c'est un projet de "
                "prestataire ; nous pouvons au mieux relire leur cahier des charges.",
                partners=("tosca", "drac"),
            ),
            opinion(
                3,
                KB,
                REFER,
                "D'accord : la reprise des données relève de l'éditeur et du futur prestataire.",
                partners=("c3rb", "biblibre"),
            ),
            opinion(4, ML, REFER, "Même avis ; la DRAC peut financer l'AMO.", partners=("drac",)),
        ),
        expected=S.UNDER_REVIEW,
    ),
    Scenario(
        "lille",
        "Sébastien Delattre",
        "s.delattre",
        "Responsable des services aux publics",
        "Durée de conservation de l'historique des prêts",
        "Nous gardons l'historique des prêts de nos lecteurs sans limite. Quelle durée "
        "retenir, et comment paramétrer l'anonymisation automatique dans Koha ?",
        Kind.ADVICE,
        ("J1", "A2"),
        "Koha 23.11",
        9,
        (
            review(1, EM),
            tell(
                1.3,
                EM,
                "Bonjour, nous étudions votre demande. Karim Benali, membre de la cellule, "
                "travaille dans votre établissement : comme le prévoit la charte, il ne "
                "participe pas à la décision.",
            ),
            opinion(
                2,
                EM,
                TAKE,
                "Je prends : préférence AnonymousPatron et tâche d'anonymisation, plus une "
                "note pour leur DPO.",
                LEAD,
            ),
            opinion(3, ML, TAKE, "Favorable, demande courte.", ADVICE),
        ),
        expected=S.UNDER_REVIEW,
    ),
    # --- Submitted: not read yet ---------------------------------------------------------
    Scenario(
        "saint-agnan",
        "Monique Faure",
        "bibliotheque",
        "Bénévole responsable",
        "Premiers pas avec Koha au point lecture",
        "Notre point lecture vient d'être raccordé au Koha du réseau départemental. Deux "
        "bénévoles voudraient apprendre les prêts, retours et réservations.",
        Kind.TRAINING,
        ("A1",),
        "Koha 23.11 (réseau de la BD)",
        4,
    ),
    Scenario(
        "nimes",
        "Mathieu Brun",
        "m.brun",
        "Webmestre",
        "Afficher les couvertures dans l'OPAC",
        "Les couvertures n'apparaissent que pour un tiers des documents dans l'OPAC.",
        Kind.TECHNICAL,
        ("D2",),
        "Koha 24.05",
        3,
    ),
    Scenario(
        "besancon-scd",
        "Lucie Girardot",
        "l.girardot",
        "Chargée d'aide au pilotage",
        "Préparer les données ESGBU depuis Alma",
        "Nous cherchons des exemples d'analyses Alma pour produire les indicateurs ESGBU.",
        Kind.ADVICE,
        ("I2",),
        "Alma Analytics",
        2.5,
    ),
    Scenario(
        "colmar",
        "Hugo Weber",
        "h.weber",
        "Chargé de communication",
        "Un flux RSS des nouveautés sur le site de la Ville",
        "Nous voudrions afficher automatiquement les dernières acquisitions sur le site de la "
        "Ville, par un flux RSS ou un widget.",
        Kind.TECHNICAL,
        ("D4",),
        "Koha 23.11, site Drupal de la Ville",
        2,
    ),
    Scenario(
        "la-rochelle",
        "Isabelle Fontaine",
        "i.fontaine",
        "Bibliothécaire, référente SIGB",
        "Requêtes SQL pour le rapport NeoScrib",
        "Suite à votre formation aux rapports SQL, nous aimerions une relecture de nos requêtes "
        "pour le rapport NeoScrib de cette année.",
        Kind.ADVICE,
        ("I1", "A4"),
        "Koha 23.11, NeoScrib",
        1.5,
    ),
    Scenario(
        "montreuil",
        "Thomas Roux",
        "thomas.roux",
        "Responsable du pôle numérique",
        "Réutiliser les images de couverture sur nos réseaux sociaux",
        "Avons-nous le droit de publier les images de couverture du catalogue sur nos "
        "réseaux sociaux pour présenter les nouveautés ?",
        Kind.ADVICE,
        ("J2",),
        "Koha 23.11",
        1.2,
    ),
    Scenario(
        "bd-vendee",
        "Nathalie Girard",
        "n.girard",
        "Responsable du pôle informatique documentaire",
        "Export des notices vers le réseau (recommandation 995)",
        "Nous voudrions automatiser l'envoi mensuel des notices aux bibliothèques du réseau "
        "qui ne sont pas sur notre Koha.",
        Kind.TECHNICAL,
        ("C3",),
        "Koha 23.11",
        5,
        desired=(30, 90),
    ),
    Scenario(
        "jean-mace",
        "Léa Perret",
        "lea.perret",
        "Catalogueuse",
        "Atelier de catalogage par Z39.50 pour les nouveaux agents",
        "Trois agents arrivent en janvier ; nous aimerions un atelier sur la récupération de "
        "notices par Z39.50 (BnF, Sudoc) dans Koha.",
        Kind.TRAINING,
        ("B2",),
        "Koha 23.11",
        3,
        desired=(40, 70),
    ),
)
