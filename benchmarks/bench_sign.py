"""Benchmark: signing a 10-page minutes PDF with the chair's key, next to rendering it.

Builds the demo board, writes long minutes for the meeting held last (about ten pages),
approves them, then times, each as the median of ``--runs``:

- rendering the minutes PDF (reportlab, as vrboard does for signing);
- unlocking the chair's key (decrypting it with the passphrase);
- signing the bytes with vrboard.signing (pyHanko PAdES, visible signature);
- the plain library doing the same work: pyHanko's own ``sign_pdf`` with an invisible
  signature and a signer loaded once;
- checking the signature (pyHanko validation against the recorded certificate).

    .venv/bin/python benchmarks/bench_sign.py [--runs 5]
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from sqlalchemy import select  # noqa: E402

from vrboard.demo import build_demo  # noqa: E402
from vrboard.model import Channel, Meeting, MeetingStatus  # noqa: E402
from vrboard.seed import init_board  # noqa: E402
from vrboard.services import meetings as mtg  # noqa: E402
from vrboard.services.context import resolve_actor  # noqa: E402
from vrboard.signing import keys  # noqa: E402
from vrboard.signing.pdfsign import Placement, check_pdf, sign_pdf  # noqa: E402
from vrboard.store import open_database  # noqa: E402

PASS = "benchmark passphrase"
PARAGRAPH = ("Members discussed the findings in detail, including the evidence from partner "
             "agencies, the views of young people gathered by the youth panel and the resources "
             "needed to act on them. The chair asked for the risks to delivery to be set out "
             "before the next meeting and for the equality impact to be assessed. ")


def timed(fn, runs: int) -> tuple[float, object]:  # noqa: ANN001
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--paragraphs", type=int, default=7, help="per item; 7 gives 10 pages")
    args = ap.parse_args()
    from vrboard.pdf.minutes import DigitalSignature, build_minutes

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = open_database(f"sqlite:///{root / 'bench.sqlite3'}")
        with db.transaction() as s:
            init_board(s, "")
            build_demo(s, "")
        with db.session() as s:
            sec = resolve_actor(s, "rkaplan", Channel.SYSTEM)
            chair = resolve_actor(s, "zadeyemi", Channel.SYSTEM)
            held = s.scalars(select(Meeting).where(Meeting.status == MeetingStatus.HELD)
                             .order_by(Meeting.starts_at.desc())).first()
            planned = s.scalars(select(Meeting).where(Meeting.status == MeetingStatus.PLANNED)).first()
            ids = [(i.id, i.minute.decisions if i.minute else []) for i in held.items]
            held_id, planned_id = held.id, planned.id
        with db.transaction() as s:
            for item_id, decisions in ids:
                mtg.save_minute(s, sec, item_id, "\n\n".join([PARAGRAPH * 2] * args.paragraphs),
                                [d.text for d in decisions])
            mtg.approve_minutes(s, chair, held_id, planned_id)
        cert, _ = keys.create_key(chair.name, PASS, directory=root / "keys")
        digital = DigitalSignature(keys.common_name(cert))

        def render() -> bytes:
            with db.session() as s:
                r = build_minutes(s, held_id, root / "minutes.pdf", digital=digital)
            render.pages = r.pages  # type: ignore[attr-defined]
            return (root / "minutes.pdf").read_bytes()

        t_render, pdf = timed(render, args.runs)
        pages = render.pages  # type: ignore[attr-defined]
        t_unlock, pair = timed(lambda: keys.unlock(cert, PASS, root / "keys"), args.runs)
        page, box = digital.slot[-1]
        t_sign, signed = timed(lambda: sign_pdf(
            pdf, pair, stamp_text="Digital signature of the chair. Signed %(ts)s",
            reason="Approved as a correct record", name=chair.name,
            placement=Placement(page, box)).data, args.runs)

        from asn1crypto import keys as akeys
        from asn1crypto import x509 as ax509
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers

        plain_signer = signers.SimpleSigner(
            signing_cert=ax509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            signing_key=akeys.PrivateKeyInfo.load(pair.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())), cert_registry=None)

        def plain() -> bytes:
            out = io.BytesIO()
            signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                             signers.PdfSignatureMetadata(field_name="Sig"), signer=plain_signer,
                             output=out)
            return out.getvalue()

        t_plain, _ = timed(plain, args.runs)
        der = cert.public_bytes(serialization.Encoding.DER)
        t_check, ok = timed(lambda: check_pdf(signed, der), args.runs)
        assert ok.ok, ok.problem  # type: ignore[attr-defined]
        db.close()

    print(f"Minutes: {pages} pages, {len(pdf):,} bytes; signed {len(signed):,} bytes "  # type: ignore[arg-type]
          f"(median of {args.runs} runs)")
    print(f"  render the minutes (reportlab)        {t_render * 1000:8.0f} ms")
    print(f"  unlock the chair's key (passphrase)   {t_unlock * 1000:8.0f} ms")
    print(f"  sign, vrboard (PAdES, visible block)  {t_sign * 1000:8.0f} ms   "
          f"{t_sign / t_render:.2f}x the render")
    print(f"  sign, plain pyHanko (invisible)       {t_plain * 1000:8.0f} ms   "
          f"vrboard/plain = {t_sign / t_plain:.2f}x")
    print(f"  check the signature (pyHanko)         {t_check * 1000:8.0f} ms")
    print(f"  approve and sign, total               {(t_render + t_unlock + t_sign) * 1000:8.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
