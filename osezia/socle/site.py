"""What the DSFR shell (base.html, header, footer, breadcrumb) shows that belongs to upper apps:
the home link, the main navigation, the account links, the footer links and the notices.

The kernel names no upper app: the apps register their links and notices here from their
`AppConfig.ready()` (the site layer, portail, registers the navigation and the footer; an app
registers its own notices), and `socle.context_processors.site` reads them on each page.
Links are kept as URL names and reversed per request, so registering imports nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    args: tuple = ()
    # Marked as the current page when the path starts with the link's address (a whole
    # section), else only when it is that address.
    section: bool = False

    def url(self) -> str:
        return reverse(self.url_name, args=self.args)


@dataclass(frozen=True)
class Notice:
    """A DSFR notice above the page's content. `html` is escaped unless it is safe (built
    with `format_html`)."""

    html: str | SafeString
    level: str = "info"


NoticeProvider = Callable[[object], Notice | None]


@dataclass
class Registry:
    home: str = ""
    navigation: list[Link] = field(default_factory=list)
    account: Link | None = None
    footer_links: list[Link] = field(default_factory=list)
    notices: list[NoticeProvider] = field(default_factory=list)


registry = Registry()


def _add(links: list[Link], link: Link) -> None:
    if link not in links:  # ready() may run twice (tests, reloads)
        links.append(link)


def register_home(url_name: str) -> None:
    registry.home = url_name


def register_navigation(label: str, url_name: str, *args, section: bool = False) -> None:
    _add(registry.navigation, Link(label, url_name, tuple(args), section))


def register_account(label: str, url_name: str) -> None:
    """The link of a logged-in person's own space, in the header's tools."""
    registry.account = Link(label, url_name)


def register_footer_link(label: str, url_name: str, *args) -> None:
    _add(registry.footer_links, Link(label, url_name, tuple(args)))


def register_notice(provider: NoticeProvider) -> None:
    """`provider(request)` returns a `Notice` to show on this page, or None."""
    if provider not in registry.notices:
        registry.notices.append(provider)


def home_url() -> str:
    try:
        return reverse(registry.home) if registry.home else "/"
    except NoReverseMatch:
        return "/"


def navigation(request) -> list[dict]:
    path = request.path
    items = []
    for link in registry.navigation:
        url = link.url()
        current = path.startswith(url) if link.section else path == url
        items.append({"label": link.label, "url": url, "current": current})
    return items


def account() -> dict | None:
    link = registry.account
    return {"label": link.label, "url": link.url()} if link else None


def footer_links() -> list[dict]:
    return [{"label": link.label, "url": link.url()} for link in registry.footer_links]


def notices(request) -> list[Notice]:
    shown = (provider(request) for provider in registry.notices)
    return [notice for notice in shown if notice is not None]
