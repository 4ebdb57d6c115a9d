import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "g2id.settings")
application = get_wsgi_application()

# What Django and G2ID set up at start lives as long as the process: the garbage collector
# need not walk it again (gc.freeze). A request allocates thousands of short-lived objects,
# so the youngest generation is collected every 10,000 allocations instead of 700.
gc.freeze()
gc.set_threshold(10_000, 20, 20)
