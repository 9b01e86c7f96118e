"""The DSFR shell (base.html, header, footer, breadcrumb, error pages) lives in the kernel and
names no upper app: the links and notices come from what the apps registered in socle.site."""

import re
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.test import Client
from django.utils.html import format_html

from osezia.socle import site

ROOT = Path(__file__).resolve().parents[2]
SOCLE = ROOT / "osezia" / "socle"
URL_NAME = re.compile(r"""{%\s*url\s+["']([^"']+)["']""")


def test_no_socle_template_names_an_url_of_an_upper_app():
    templates = sorted(SOCLE.rglob("*.html"))
    assert templates
    upper = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in templates
        for name in URL_NAME.findall(path.read_text(encoding="utf-8"))
        if ":" in name and name.split(":")[0] != "socle"
    }
    assert not upper, upper


def test_base_html_is_the_kernels():
    origin = Path(get_template("base.html").origin.name)
    assert origin == SOCLE / "templates" / "base.html"
    assert not (ROOT / "osezia" / "templates" / "base.html").exists()


@pytest.fixture
def notice():
    def provider(request):
        if request.path != "/":
            return None
        return Notice(format_html('Maintenance <a href="{}">ce soir</a>', "/plan-du-site/"))

    Notice = site.Notice
    site.register_notice(provider)
    yield
    site.registry.notices.remove(provider)


def test_the_shell_shows_what_the_apps_registered(db, notice):
    home = Client().get("/").content.decode()
    # portail's navigation and footer links, the current page marked.
    assert '<a class="fr-nav__link" href="/" aria-current="page">Accueil</a>' in home
    assert '<a class="fr-nav__link" href="/academie/" >Académie de l&#x27;IA</a>' in home
    assert 'href="/mentions-legales/">Mentions légales</a>' in home
    assert 'href="/api/docs">API</a>' in home
    # A registered notice, on the pages it chooses.
    assert 'Maintenance <a href="/plan-du-site/">ce soir</a>' in home
    academy = Client().get("/academie/formations/").content.decode()
    assert "Maintenance" not in academy
    assert 'href="/academie/" aria-current="page">Académie' in academy
