"""Opens the vrboard desktop app (the same as ``vrboard gui``)."""
import sys

from vrboard.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
