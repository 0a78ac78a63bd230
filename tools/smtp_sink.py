"""A real SMTP server on loopback (Debian's python3-aiosmtpd) that keeps
every message it accepts as a file in a folder, for the demo campaign and the
tests. It is a mail drop, not a relay: nothing leaves the machine.

Like a mail store with duplicate suppression (Dovecot's, Gmail's), it keeps
one copy per Message-ID: a message sent again after the sender was
interrupted between the server's "250" and its own record of it is accepted
and not stored twice; each such arrival is logged in duplicates.log.

    python3 tools/smtp_sink.py --port 2525 --folder out/mail [--refuse 451|550]
                               [--slow SECONDS] [--quit-hang] [--tls CERT KEY [--implicit]]

--refuse answers every message with that code (4xx: try later, 5xx: never),
to test retries and dead letters. --slow keeps each message and answers
only after that many seconds (a server slower than its client's timeout).
--quit-hang never answers QUIT (a server that holds the connection open).
--tls serves with that certificate and key: STARTTLS, required before any
mail (a relay that refuses mail in clear), or TLS from the first byte with
--implicit (smtps). Each message's envelope recipients are logged in
envelopes.log, and whether it came over TLS in tls.log. The process runs
until it is killed."""
import asyncio
import argparse
import email
import os
import signal
import ssl
import threading
import time
import uuid

from aiosmtpd.controller import Controller


class Drop:
    def __init__(self, folder, refuse, slow, quit_hang=False):
        self.folder = folder
        self.refuse = refuse
        self.slow = slow
        self.quit_hang = quit_hang
        os.makedirs(folder, exist_ok=True)
        self.seen = {name.split("-", 2)[2][:-4] for name in os.listdir(folder)
                     if name.endswith(".eml") and not name.startswith(".")}

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return f"{self.refuse} refused for the test"
        message_id = email.message_from_bytes(envelope.content).get("Message-ID", "").strip("<>")
        over_tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        with open(os.path.join(self.folder, "tls.log"), "a") as log:
            log.write(message_id + (" tls\n" if over_tls else " plain\n"))
        with open(os.path.join(self.folder, "envelopes.log"), "a") as log:
            log.write(message_id + " " + " ".join(repr(r) for r in envelope.rcpt_tos) + "\n")
        if message_id and message_id in self.seen:
            with open(os.path.join(self.folder, "duplicates.log"), "a") as log:
                log.write(message_id + "\n")
            return "250 OK (already received)"
        self.seen.add(message_id)
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}-{message_id}.eml"
        tmp = os.path.join(self.folder, "." + name)
        with open(tmp, "wb") as f:
            f.write(envelope.content)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(self.folder, name))
        if self.slow:
            await asyncio.sleep(self.slow)
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        if self.quit_hang:
            await asyncio.sleep(3600)
        return "221 Bye"


parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--folder", required=True)
parser.add_argument("--refuse", default="")
parser.add_argument("--slow", type=float, default=0)
parser.add_argument("--quit-hang", action="store_true")
parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
parser.add_argument("--implicit", action="store_true")
args = parser.parse_args()
tls = {}
if args.tls:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*args.tls)
    tls = {"ssl_context": context} if args.implicit else {"tls_context": context, "require_starttls": True}
controller = Controller(Drop(args.folder, args.refuse, args.slow, args.quit_hang), hostname="127.0.0.1", port=args.port, **tls)
controller.start()
print(f"smtp sink on 127.0.0.1:{args.port}, messages in {args.folder}", flush=True)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
signal.signal(signal.SIGINT, lambda *_: done.set())
done.wait()
controller.stop()
