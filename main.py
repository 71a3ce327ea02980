"""Start the Complaint & Returns Desk: ``python main.py --help``."""

import sys

from desktop_app.app import main

if __name__ == "__main__":
    sys.exit(main())
