"""Runs a command with a private PostgreSQL server started for it, its URL in
PROACTIF_TEST_POSTGRES; the server is removed afterwards."""
import os
import subprocess
import sys

from postgres_server import PostgresServer

server = PostgresServer()
try:
    env = dict(os.environ, PROACTIF_TEST_POSTGRES=server.url)
    code = subprocess.run(sys.argv[1:], env=env).returncode
finally:
    server.close()
sys.exit(code)
