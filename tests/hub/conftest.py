import pytest

from tests.sso_helpers import provider_seed
from tests.sso_provider.harness import running_provider


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """A real OpenID Connect provider (django-oauth-toolkit) in its own process, for this xdist
    worker's session; its clients accept the Django test client's callbacks."""
    with running_provider(tmp_path_factory.mktemp("oidc-provider"), **provider_seed(["http://testserver"])) as provider:
        yield provider
