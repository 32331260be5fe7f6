import pytest


@pytest.fixture(autouse=True)
def _support_product_data(request):
    """The product areas and hours come from a data migration; a transactional test elsewhere in
    this worker may have flushed them. Put them back for database tests (one query when present)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    from support import product_data

    product_data.ensure()
