"""``python -m nrm.law``: the same commands as ``nrm law``."""

import sys

from nrm.law.cli import main

sys.exit(main())
