"""``python -m crossentropy.cli`` runs ``xent``."""

import sys

from . import main

sys.exit(main())
