"""Run the test identity provider: `python -m tests.sso_provider.server --dir DIR --port N`.

DIR holds seed.json; the RSA signing key and the SQLite database are created there at start."""

import argparse
import json
import os
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def write_signing_key(path: Path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def seed(data):
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    for entry in data["users"]:
        user = User.objects.create(
            username=entry["username"], email=entry["email"],
            first_name=entry.get("first_name", ""), last_name=entry.get("last_name", ""),
        )
        user.set_password(entry["password"])
        user.save()
    for entry in data["clients"]:
        Application.objects.create(
            name=entry["client_id"], client_id=entry["client_id"], client_secret=entry["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(entry["redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    work_dir = Path(args.dir)
    write_signing_key(work_dir / "signing-key.pem")
    os.environ["SSO_PROVIDER_DIR"] = str(work_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso_provider.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0, interactive=False)
    seed(json.loads((work_dir / "seed.json").read_text()))
    server = make_server("127.0.0.1", args.port, get_wsgi_application(),
                         server_class=ThreadingServer, handler_class=QuietHandler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
