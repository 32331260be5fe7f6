"""A real OpenID Connect provider for the SSO tests (AUTH-2): a tiny Django project on
django-oauth-toolkit, run as a second process on 127.0.0.1 with its own SQLite database and an RSA
signing key generated at start. `harness.running_provider()` starts and stops it."""
