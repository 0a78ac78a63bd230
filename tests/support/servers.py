"""Real peers for the end-to-end tests: the SMTP sink (tools/smtp_sink.py,
on Debian's python3-aiosmtpd) on a free loopback port, and queries on the
store whichever database it is."""
import email
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
# Debian's interpreter: python3-aiosmtpd is installed for it.
DEBIAN_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else "python3"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed_certificate(folder):
    """A certificate for 127.0.0.1 and localhost, signed by itself (openssl),
    as (certificate, key): the test relay's, and the authority a client given
    it trusts."""
    os.makedirs(folder, exist_ok=True)
    cert, key = os.path.join(folder, "relay.pem"), os.path.join(folder, "relay.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


class SmtpSink:
    def __init__(self, folder, refuse="", slow=0, tls=None, implicit=False, quit_hang=False):
        """tls: (certificate, key) to require STARTTLS, or with `implicit`,
        to speak TLS from the first byte (smtps)."""
        self.folder = folder
        self.port = free_port()
        self.implicit = implicit
        args = [DEBIAN_PYTHON, os.path.join(SOURCE, "tools/smtp_sink.py"), "--port", str(self.port), "--folder", folder]
        if refuse:
            args += ["--refuse", refuse]
        if slow:
            args += ["--slow", str(slow)]
        if quit_hang:
            args += ["--quit-hang"]
        if tls:
            args += ["--tls", *tls] + (["--implicit"] if implicit else [])
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the SMTP sink did not start: " + (self.process.stdout.read() if self.process.poll() else ""))

    @property
    def url(self):
        return f"{'smtps' if self.implicit else 'smtp'}://127.0.0.1:{self.port}"

    def over_tls(self):
        """Message-ID -> whether it came over TLS, for every message taken."""
        path = os.path.join(self.folder, "tls.log")
        if not os.path.exists(path):
            return {}
        return dict(line.split() for line in open(path, encoding="utf-8") if line.strip())

    def messages(self):
        out = []
        for name in sorted(os.listdir(self.folder)):
            if name.endswith(".eml") and not name.startswith("."):
                with open(os.path.join(self.folder, name), "rb") as f:
                    out.append(email.message_from_bytes(f.read()))
        return out

    def envelopes(self):
        """(Message-ID, [recipients]) of every message the server took."""
        path = os.path.join(self.folder, "envelopes.log")
        if not os.path.exists(path):
            return []
        out = []
        for line in open(path, encoding="utf-8"):
            message_id, _, rest = line.rstrip("\n").partition(" ")
            out.append((message_id, rest.split(" ") if rest else []))
        return out

    def stop(self):
        self.process.terminate()
        self.process.wait()


def text_part(message):
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n")
    return ""


def query(store_url, sql):
    """Rows of a query on the store, SQLite file or PostgreSQL server."""
    if store_url.startswith("postgresql://"):
        out = subprocess.run(["psql", store_url, "-At", "-F", "\x1f", "-c", sql], capture_output=True, text=True,
                             check=True).stdout
        return [tuple(line.split("\x1f")) for line in out.splitlines() if line]
    with sqlite3.connect(store_url.removeprefix("sqlite:")) as db:
        return [tuple("" if v is None else str(v) for v in row) for row in db.execute(sql)]


def wait_for_delivery_lock(store_url, process, timeout=60):
    """Wait until `process` holds the delivery lock of a SQLite store (its
    flock on the database file), read in /proc/locks without taking it: a
    fixed sleep is too short on a busy machine, and a probe that takes the
    lock could make the process itself find it taken. True once held."""
    st = os.stat(store_url.removeprefix("sqlite:"))
    inode = f":{st.st_ino}"  # the device's number as /proc shows it may differ on an overlay
    deadline = time.time() + timeout
    while process.poll() is None and time.time() < deadline:
        with open("/proc/locks") as locks:
            for line in locks:
                fields = line.split()
                if "FLOCK" in fields and str(process.pid) in fields and any(f.endswith(inode) for f in fields):
                    return True
        time.sleep(0.02)
    return False


def references(store_url, channel):
    """The reference of each message of `channel`, which its Message-ID or
    file name bears: the least code of its envelope."""
    return {code for code, in query(store_url, "SELECT MIN(verification_code) FROM outbox "
                                               f"WHERE channel = '{channel}' GROUP BY envelope")}


class HttpSink:
    """A local HTTP endpoint (an SMS provider, a paying body's API) that
    records each POST and answers `fail_status` (503: unavailable) to the
    first `fail_first` of them. With `slow_first`, the first requests are
    taken (recorded) and answered `slow_seconds` late, past a client's
    timeout: they arrived, and the client cannot know it.
    With `cut_first`, the first requests are taken and answered 200, and
    the connection is closed before the answer's body.
    Like a real idempotent API, a request whose Idempotency-Key it has
    already accepted is answered 200 and not recorded again (`attempts`
    counts every request)."""

    def __init__(self, fail_first=0, fail_status=503, slow_first=0, slow_seconds=0, cut_first=0):
        import http.server
        import json
        import threading
        import time
        sink = self
        self.requests, self.seen, self.attempts = [], set(), 0
        self.fail_first, self.fail_status = fail_first, fail_status

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                sink.attempts += 1
                key = self.headers.get("Idempotency-Key", "")
                if sink.attempts <= cut_first:
                    sink.seen.add(key)
                    sink.requests.append({"path": self.path, "key": key, "body": json.loads(body)})
                    self.send_response(200)
                    self.send_header("Content-Length", "10")
                    self.end_headers()
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if sink.attempts <= slow_first:
                    sink.seen.add(key)
                    sink.requests.append({"path": self.path, "key": key, "body": json.loads(body)})
                    time.sleep(slow_seconds)
                    self.send_response(201)
                elif sink.attempts <= sink.fail_first:
                    self.send_response(sink.fail_status)
                elif key in sink.seen:
                    self.send_response(200)
                else:
                    sink.seen.add(key)
                    sink.requests.append({"path": self.path, "key": key, "body": json.loads(body)})
                    self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.server.shutdown()


class ProactifServer:
    """`proactif serve` on a free loopback port, its log in `folder`."""

    def __init__(self, binary, store, folder, *extra, env=None):
        import re
        self.log_path = os.path.join(folder, f"serve-{time.monotonic_ns()}.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--store", store, *extra],
                                        stdout=subprocess.DEVNULL, stderr=self.log, env=env)
        deadline = time.time() + 30
        self.port = None
        while time.time() < deadline and not self.port:
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", open(self.log_path).read())
            self.port = int(m.group(1)) if m else None
            if self.process.poll() is not None:
                raise SystemExit("proactif serve did not start: " + open(self.log_path).read())
            time.sleep(0.05)
        if not self.port:
            raise SystemExit("proactif serve did not say where it listens")

    def request(self, method, path, body=None, headers=None):
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def stop(self):
        """SIGTERM; its exit status and log."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        self.log.close()
        return code, open(self.log_path).read()


class ApiParticulierSimulator:
    """tests/support/api_particulier_simulator.py on a free loopback port."""

    def __init__(self, data_dir, *tokens):
        import re
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "api_particulier_simulator.py")
        args = [sys.executable, script, data_dir]
        for token in tokens:
            args += ["--token", token]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline()
        m = re.match(r"listening on (\d+)", line)
        if not m:
            raise SystemExit("the API Particulier simulator did not start: " + line + self.process.stdout.read())
        self.port = int(m.group(1))
        self.url = f"http://127.0.0.1:{self.port}"

    def call(self, method, path, body=None, headers=None):
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def fault(self, **fault):
        """The next requests answered with an error (status=..., count=...) or late (delay=...)."""
        self.call("POST", "/__simulateur/pannes", json.dumps(fault))

    def requests(self):
        return json.loads(self.call("GET", "/__simulateur/requetes")[2])

    def reset(self):
        self.call("DELETE", "/__simulateur/requetes")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
