"""A private PostgreSQL server for the tests: Debian's own binaries, a fresh
cluster in a temporary folder, listening on loopback only, on a free port.
Used by tests/support/with_postgres.py and by tests that stop the server
mid-run. Run as root (as CI does), the server runs as the postgres user,
since PostgreSQL refuses to run as root."""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile


def _bin_dir():
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not dirs:
        raise SystemExit("PostgreSQL is not installed: run scripts/setup.sh (Debian package postgresql)")
    return dirs[-1]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self):
        self.bin = _bin_dir()
        self.dir = tempfile.mkdtemp(prefix="proactif-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = _free_port()
        self.as_user = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", self.data, "-U", "proactif", "-A", "trust", "--no-sync", "-E", "UTF8",
                  "--locale=C.UTF-8")
        self.start()
        subprocess.run([os.path.join(self.bin, "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                        "proactif", "proactif"], check=True)

    @property
    def url(self):
        return f"postgresql://proactif@127.0.0.1:{self.port}/proactif"

    def _run(self, tool, *args, check=True):
        return subprocess.run(self.as_user + [os.path.join(self.bin, tool), *args], check=check,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self):
        self._run("pg_ctl", "-D", self.data, "-w", "-l", os.path.join(self.dir, "log"), "-o",
                  f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir}", "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", self.data, "-w", "-m", mode, "stop", check=False)

    def close(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
