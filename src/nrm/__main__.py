import sys

from nrm.cli import main

sys.exit(main())
