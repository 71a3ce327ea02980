"""Start the Complaint & Returns Desk: ``python main.py --help``."""

import sys

from desktop_app.app import main

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        import multiprocessing

        # Worker processes (verify of a large register, bulk loads) start the packaged app
        # again: this hands them their work instead of opening another window. (Elsewhere
        # freeze_support does nothing, and importing multiprocessing costs every start.)
        multiprocessing.freeze_support()
    sys.exit(main())
