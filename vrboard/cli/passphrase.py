"""Where the command line gets a key's passphrase: ``--passphrase-file``, else
``$VRBOARD_KEY_PASSPHRASE``, else a prompt (only at a terminal)."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from ..errors import ValidationError

ENV = "VRBOARD_KEY_PASSPHRASE"


def add_option(p: argparse.ArgumentParser, what: str = "the signing key's passphrase") -> None:
    p.add_argument("--passphrase-file", metavar="FILE",
                   help=f"read {what} from the first line of FILE (else ${ENV}, else a prompt)")


def read_file(path: str, what: str) -> str:
    try:
        text = Path(path).expanduser().read_text("utf-8")
    except OSError as exc:
        raise ValidationError(f"Cannot read {what} from {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path} is not a text file; put {what} on its first line.") from None
    return text.splitlines()[0] if text else ""


def passphrase(args: argparse.Namespace, *, confirm: bool = False,
               prompt: str = "Passphrase for your signing key: ") -> str:
    if getattr(args, "passphrase_file", None):
        return read_file(args.passphrase_file, "the passphrase")
    if os.environ.get(ENV):
        return os.environ[ENV]
    if not sys.stdin.isatty():
        raise ValidationError(f"No passphrase given: use --passphrase-file FILE or set {ENV} "
                              "(no terminal to ask at). Nothing was changed.")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again, to confirm: ") != first:
        raise ValidationError("The two passphrases differ; nothing was changed.")
    return first
