import pytest


@pytest.fixture(autouse=True)
def devtools_installed(settings):
    """The developer tools' commands, as devtools.settings installs them for the benchmarks."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "devtools"]
