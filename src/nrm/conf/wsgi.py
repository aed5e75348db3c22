import os

from django.core.wsgi import get_wsgi_application

from nrm.conf.files import umask_owner_only

# Also when a WSGI server loads this module without `nrm serve`: files are owner-only.
umask_owner_only()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.conf.settings")
application = get_wsgi_application()
