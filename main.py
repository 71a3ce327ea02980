"""Start the Complaint & Returns Desk: ``python main.py --help``."""

import sys

from desktop_app.app import main

if __name__ == "__main__":
    import multiprocessing

    # Worker processes (verify of a large register, bulk loads) start this file again; in the
    # packaged app this hands them their work instead of opening another window.
    multiprocessing.freeze_support()
    sys.exit(main())
