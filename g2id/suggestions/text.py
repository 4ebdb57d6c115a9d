"""French-aware words of a request: what a full-text query over requests should look for.

A small built-in stop-word list rather than a dependency: the index's own tokenisers
(PostgreSQL's `french` configuration, SQLite's `unicode61`) do the rest, and the words
that say nothing about a library-IT problem ("bibliothèque", "souhaitons"…) are ours to
list anyway.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

# Letters and digits only: the query syntaxes of both databases never see an operator.
WORD_RE = re.compile(r"[^\W_]+")
SHORTEST_WORD = 3
SALIENT_WORDS = 12
TITLE_WEIGHT = 2

FRENCH_STOP_WORDS = frozenset(
    """
    afin ainsi alors apres au aucun aucune aupres aussi autre autres aux avant avec avoir
    bien car ce ceci cela celle celles celui cependant ces cet cette ceux chaque chez comme
    comment dans de des deja depuis donc dont du elle elles en encore entre est et etait
    etaient ete etre eux fait faire font hors ici il ils je jusqu la le les leur leurs lors
    lui mais meme mes moi moins mon nos notre nous on ont ou par parce pas peu peut peuvent
    plus plusieurs pour pourquoi pourrait pourriez pouvez pouvons quand que quel quelle
    quelles quels qui quoi sa sans se selon ses si sien son sont sous souvent sur ta tant
    tel telle tes toi ton tous tout toute toutes tres un une vers via voici voila vos votre
    vous ete etes avons avez aurait serait sera seront cas fois part
    """.split()  # noqa: SIM905 - a stop-word list reads best as text
)
# Words every request says: they would make every request look like every other.
LIBRARY_STOP_WORDS = frozenset(
    """
    bibliotheque bibliotheques mediatheque mediatheques reseau demande demandes besoin
    aide aider souhaitons souhaiterions voudrions aimerions merci bonjour cordialement
    question questions conseil conseiller equipe cellule probleme problemes actuellement
    utilisons annees annee projet mise place
    """.split()  # noqa: SIM905
)
STOP_WORDS = FRENCH_STOP_WORDS | LIBRARY_STOP_WORDS


@lru_cache(maxsize=8192)  # the same few thousand words come back request after request
def fold(word: str) -> str:
    """Lower case without accents: « Médiathèque » and « mediatheque » are one word."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of `text`, in order, as the user wrote them."""
    return WORD_RE.findall(text)


def meaningful_words(text: str) -> list[tuple[str, str]]:
    """(folded, as written) words long enough to mean something and not on a stop list.

    Both forms: stop words and counts compare folded words, while PostgreSQL's `french`
    configuration keeps accents, so a query must spell « réseau » as the text does.
    """
    pairs = ((fold(word), word) for word in words(text))
    return [
        (folded, written)
        for folded, written in pairs
        if len(folded) >= SHORTEST_WORD and folded not in STOP_WORDS
    ]


def salient_words(title: str, description: str, *, limit: int = SALIENT_WORDS) -> list[str]:
    """The words that best say what a request is about (the title's count double), lower case."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for text, weight in ((title, TITLE_WEIGHT), (description, 1)):
        for folded, written in meaningful_words(text):
            counts[folded] += weight
            spelling.setdefault(folded, written.lower())
    # Ties go to the longer word: "catalogue" says more than "prêt".
    ranked = sorted(counts, key=lambda word: (-counts[word], -len(word), word))
    return [spelling[word] for word in ranked[:limit]]
