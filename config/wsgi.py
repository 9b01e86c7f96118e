import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

# The consultation's votes answered without the whole request stack (see the module).
from osezia.api.votes_rapides import VotesFastPath  # noqa: E402

application = VotesFastPath(django_application)
