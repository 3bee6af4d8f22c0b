"""Sign a PDF (PAdES, with pyHanko) and check a signed PDF against a certificate.

``sign_pdf`` takes the document's bytes and returns signed bytes: an incremental update
adding a visible signature on the page and in the box given, and an RFC 3161 timestamp
from ``tsa_url`` when one is given. A timestamp server that does not answer does not stop
the signing: the file is signed without a timestamp and ``Signed.warning`` says so.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ..errors import VrboardError
from .keys import KeyPair

FIELD = "ChairSignature"


@dataclass(frozen=True)
class Signed:
    data: bytes
    timestamped: bool
    warning: str = ""


@dataclass(frozen=True)
class Placement:
    """Where the visible signature goes: page index (0-based; -1 the last page) and box
    (x1, y1, x2, y2) in PDF points from the bottom left."""

    page: int = -1
    box: tuple[float, float, float, float] = (56.7, 70.0, 538.6, 150.0)


def _signer(pair: KeyPair):  # noqa: ANN202 - pyHanko's signer type
    from asn1crypto import keys as akeys
    from asn1crypto import x509 as ax509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def a(c: x509.Certificate) -> ax509.Certificate:
        return ax509.Certificate.load(c.public_bytes(serialization.Encoding.DER))

    key = akeys.PrivateKeyInfo.load(pair.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    cert = a(pair.cert)
    return signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs(
                                    [cert, *(a(c) for c in pair.chain)]))


def _sign(pdf: bytes, pair: KeyPair, *, stamp_text: str, reason: str, location: str,
          name: str, placement: Placement, timestamper: object | None) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
    from pyhanko.stamp import TextStampStyle

    meta = PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256",
                                subfilter=fields.SigSeedSubFilter.PADES, reason=reason,
                                location=location or None, name=name)
    # The visible block itself is drawn into the page by the PDF renderer (in the document's
    # own embedded font); the signature's widget frames it, so a reader shows the signature
    # details when it is clicked. ``stamp_text`` adds a line inside the frame (ASCII only).
    style = TextStampStyle(stamp_text=stamp_text, border_width=1)
    spec = fields.SigFieldSpec(FIELD, on_page=placement.page, box=placement.box)
    signer = PdfSigner(meta, signer=_signer(pair), timestamper=timestamper,  # type: ignore[arg-type]
                       stamp_style=style, new_field_spec=spec)
    out = io.BytesIO()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises several types for a bad file
        raise VrboardError(f"The document to sign is not a readable PDF ({exc}).") from None
    signer.sign_pdf(writer, output=out)
    return out.getvalue()


def sign_pdf(pdf: bytes, pair: KeyPair, *, stamp_text: str, reason: str, location: str = "",
             name: str = "", placement: Placement | None = None, tsa_url: str | None = None,
             tsa_timeout: float = 10.0) -> Signed:
    """Sign ``pdf`` with ``pair``. ``stamp_text`` is the visible block's text; ``%(ts)s`` in
    it becomes the signing time."""
    placement = placement or Placement()
    kw = dict(stamp_text=stamp_text, reason=reason, location=location, name=name,
              placement=placement)
    if tsa_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        try:
            return Signed(_sign(pdf, pair, timestamper=HTTPTimeStamper(tsa_url, timeout=tsa_timeout),
                                **kw), True)
        except VrboardError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure to get a timestamp
            why = _short(exc)
            warning = (f"The timestamp server {tsa_url} did not answer ({why}); the document was "
                       "signed without a timestamp, with the time of this computer.")
            return Signed(_sign(pdf, pair, timestamper=None, **kw), False, warning)
    return Signed(_sign(pdf, pair, timestamper=None, **kw), False)


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
        if str(exc).strip():
            text = str(exc).strip()
    return text[:200]


@dataclass(frozen=True)
class SignatureCheck:
    ok: bool
    problem: str = ""
    signer: str = ""
    signed_at: str = ""
    timestamped: bool = False


def check_pdf(pdf: bytes, cert_der: bytes) -> SignatureCheck:
    """Whether ``pdf`` carries one intact, valid signature over the whole file, made with
    the certificate ``cert_der``. Never raises for a bad file: it says what is wrong."""
    from asn1crypto import x509 as ax509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        expected = ax509.Certificate.load(cert_der)
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - a damaged file can fail in many ways
        return SignatureCheck(False, f"the file cannot be read as a PDF ({_short(exc)})")
    if not sigs:
        return SignatureCheck(False, "the file carries no signature")
    try:
        status = validate_pdf_signature(sigs[-1], ValidationContext(trust_roots=[expected]))
    except Exception as exc:  # noqa: BLE001
        return SignatureCheck(False, f"the signature cannot be checked ({_short(exc)})")
    signer = status.signing_cert.subject.native.get("common_name", "") if status.signing_cert else ""
    at = status.signer_reported_dt.isoformat(timespec="seconds") if status.signer_reported_dt else ""
    stamped = status.timestamp_validity is not None
    if not status.intact:
        return SignatureCheck(False, "the signed bytes were changed after signing", signer, at)
    if not status.valid:
        return SignatureCheck(False, "the signature does not match the signed bytes", signer, at)
    if status.signing_cert is None or status.signing_cert.sha256 != expected.sha256:
        return SignatureCheck(False, "it was signed with a different certificate from the one "
                                     "recorded for its signer", signer, at)
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck(False, "bytes were added to the file after it was signed", signer, at)
    return SignatureCheck(True, "", signer, at, stamped)
