"""Find the shared store's URL and its password without a plain-text file.

The URL comes from ``--db``, else the CUECARD_DB_URL variable, else the
settings. A password that the URL leaves out is looked up in the OS keyring
under the service ``cuecard`` and the name ``USER@HOST``.
"""

import logging
import os

import keyring
import keyring.errors
import sqlalchemy as sa

from app.errors import CuecardError
from app.settings import load_settings

log = logging.getLogger(__name__)

URL_VARIABLE = "CUECARD_DB_URL"
KEYRING_SERVICE = "cuecard"


def keyring_name(url: sa.URL) -> str:
    """Return the keyring entry name for a URL's user and host."""
    return f"{url.username}@{url.host}"


def parse_url(text: str) -> sa.URL:
    """Parse a database URL; CuecardError when it is not one."""
    try:
        url = sa.make_url(text)
    except sa.exc.ArgumentError as error:
        raise CuecardError(
            f"invalid database URL {text!r}; use postgresql://USER@HOST/DATABASE "
            "or sqlite:///PATH"
        ) from error
    if url.get_backend_name() not in ("postgresql", "sqlite"):
        raise CuecardError(
            f"unsupported database {url.get_backend_name()!r} in the URL; "
            "use postgresql://USER@HOST/DATABASE or sqlite:///PATH"
        )
    return url


def with_password(text: str) -> str:
    """Return the URL with the keyring's password filled in when it has none."""
    url = parse_url(text)
    if url.get_backend_name() != "postgresql" or url.password or not url.username:
        return text
    try:
        password = keyring.get_password(KEYRING_SERVICE, keyring_name(url))
    except keyring.errors.KeyringError as error:
        log.info("no keyring password for %s: %s", keyring_name(url), error)
        return text
    if password is None:
        return text
    return url.set(password=password).render_as_string(hide_password=False)


def resolve_shared_url(argument: str | None) -> str:
    """Return the shared store URL from ``--db``, the environment or the settings.

    The settings never contain a password (``check_settings`` rejects one), so
    the keyring fills it in as for the other sources. Raises CuecardError when
    no source names a store, or when the settings file is from a newer Cuecard
    or has an invalid value.
    """
    text = argument or os.environ.get(URL_VARIABLE)
    if not text:
        text = load_settings().shared_database_url
    if not text:
        raise CuecardError(
            f"no shared store is configured; pass --db URL, set {URL_VARIABLE} "
            "or enter a shared database in the settings"
        )
    return with_password(text)


def describe(text: str) -> str:
    """Return a URL's host and database for messages, without the password."""
    url = sa.make_url(text)
    if url.get_backend_name() == "sqlite":
        return f"the file {url.database}"
    port = f":{url.port}" if url.port else ""
    return f"{url.host or 'localhost'}{port}/{url.database}"
