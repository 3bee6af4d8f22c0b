"""Keys, certificates and PDF signatures (PAdES, with pyHanko). No Qt, no database.

- ``keys``: the private key store on this machine (encrypted with a passphrase) and
  certificates: self-signed, a request (CSR) for the council's CA, or a PKCS#12 import.
- ``pdfsign``: bytes in, signed bytes out; and checking a signed file against a certificate.
"""
from __future__ import annotations
