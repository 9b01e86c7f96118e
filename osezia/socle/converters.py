"""URL converters shared by the apps' `urls.py`.

`<ident:…>` carries an external identifier (`osezia.socle.regles.external_id`) in one path
segment of a page's address, exactly as stored: letters of both cases, digits, `-`, `_`, `.`
and `:` appear as they are; `/` is written `%2F` by the converter (Django's `reverse` quotes
the `%` once more, the server decodes it once), so that `urn:x:abc/1.2` stays one segment
whatever follows it (`…/historique/`) and no `.` / `..` segment is ever seen by a browser.
An address that does not hold a valid identifier matches no page (404).
"""

from django.urls import register_converter

from .regles import InvalidExternalId, external_id


class ExternalIdConverter:
    regex = r"[A-Za-z0-9._:%-]+"

    def to_python(self, value: str) -> str:
        try:
            value = value.replace("%2F", "/").replace("%2f", "/")
            if "%" in value:
                raise ValueError(value)
            return external_id(value)
        except InvalidExternalId as exc:
            raise ValueError(value) from exc

    def to_url(self, value: str) -> str:
        return str(value).replace("/", "%2F")


register_converter(ExternalIdConverter, "ident")
