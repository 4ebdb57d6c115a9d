"""G2ID's own URLs plus /bench/hello (selected by bench.settings only).

G2ID's patterns are copied, not include()d: i18n_patterns must stay in the root URLconf.
"""

from django.urls import path

from bench.ceiling import hello
from g2id.urls import handler404, handler500
from g2id.urls import urlpatterns as g2id_urlpatterns

urlpatterns = [path("bench/hello", hello, name="bench-hello"), *g2id_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
