"""The platform's one paginator, for pages and for the API.

A page is `page` (from 1 to `MAX_PAGE`) of `page_size` items (each list has its default; a
request may ask for up to `MAX_PAGE_SIZE`, a larger value up to `PAGE_SIZE_LIMIT` is capped,
beyond it is refused). Pages get a Django `Page` (`paginate`, `page_of`) for
`socle/pagination.html`; API lists answer one shape, `{"count", "page", "page_size", "next",
"previous", "items"}` (`page_answer`, `PageOut`, and `Pagination` for ninja's `@paginate`).
"""

from typing import Any

from django.core.paginator import Page, Paginator
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from .regles import MAX_PAGE

DEFAULT_PAGE_SIZE = 25
API_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
PAGE_SIZE_LIMIT = 10_000  # asked beyond this, the size is refused rather than capped


def page_size(requested: int | None, default: int = API_PAGE_SIZE) -> int:
    """The size a list answers for a request: its default, or what was asked, at most 100."""
    if requested is None:
        return default
    return max(1, min(int(requested), MAX_PAGE_SIZE))


def out_of_range(page: Page, requested) -> dict | None:
    """What `socle/pagination.html` says when `?page=` (`requested`, the raw value) named no
    page of the list shown (beyond the last, 0, not a number): `None` when it did, else the
    value as the notice quotes it (« La page 999 999 n'existe pas… », French thousands with a
    narrow no-break space), whether it was a page number, and the last page to link to. Every
    list page goes through it, the search pages too (they show the last page, or the first
    for a word, as `paginate` does)."""
    raw = "" if requested is None else str(requested).strip()
    if raw == "" or raw == str(page.number):
        return None
    number = int(raw) if raw.isdigit() and int(raw) >= 1 else None
    return {
        "label": f"{number:,}".replace(",", "\u202f") if number else raw[:20],
        "number": number,
        "last": page.paginator.num_pages,
    }


def paginate(request, queryset, per_page: int = DEFAULT_PAGE_SIZE) -> Page:
    """A page of `queryset` from `?page=`, tolerant of bad or out-of-range numbers (the first
    or the last page is shown; `out_of_range` says the one asked does not exist)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def page_of(count: int, number: int, per_page: int) -> Page:
    """The page numbered `number` of `count` results found elsewhere (a search index), for
    the pagination links of a page (an out-of-range number gives the last page)."""
    return Paginator(range(count), per_page).get_page(number)


def query_without_page(request) -> str:
    """The current query string minus `page`, to build pagination links that keep filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# The API ------------------------------------------------------------------------------------


def page_answer(items: list, count: int, page: int, size: int, **extra) -> dict:
    """The API's answer for one page of a list: `next` and `previous` are page numbers (null
    on the first and last page)."""
    last = max(1, -(-count // size))
    return {
        "count": count,
        "page": page,
        "page_size": size,
        "next": page + 1 if page < last else None,
        "previous": min(page - 1, last) if page > 1 else None,
        **extra,
        "items": list(items),
    }


class PageOut(Schema):
    """The shape of every API list (subclasses add `items: list[Item]`)."""

    count: int = Field(description="Nombre total de résultats")
    page: int = Field(description="Numéro de cette page (à partir de 1)")
    page_size: int = Field(description="Taille de page appliquée (au plus 100)")
    next: int | None = Field(None, description="Numéro de la page suivante (vide : dernière)")
    previous: int | None = Field(None, description="Numéro de la page précédente")


class PageParams(Schema):
    """`?page=` and `?page_size=`, as every API list reads them."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="Numéro de page, à partir de 1")
    page_size: int | None = Field(
        None, ge=1, le=PAGE_SIZE_LIMIT, description=f"Au plus {MAX_PAGE_SIZE}"
    )


class Rows:
    """A queryset whose rows the API answers as `to_item(row)`: what an endpoint under
    `@paginate(Pagination)` returns when its items are not the rows themselves."""

    def __init__(self, queryset, to_item):
        self.queryset, self.to_item = queryset, to_item

    def all(self):
        return self.queryset.all()

    def __getitem__(self, window: slice) -> list:
        return [self.to_item(row) for row in self.queryset[window]]


class Pagination(PaginationBase):
    """ninja's `@paginate(Pagination, page_size=N)` in the platform's shape."""

    Input = PageParams

    class Output(PageOut):
        items: list[Any]

    def __init__(self, page_size: int = API_PAGE_SIZE, **kwargs):
        self.page_size = page_size
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination: PageParams, request=None, **params):
        size = page_size(pagination.page_size, self.page_size)
        start = (pagination.page - 1) * size
        count = self._items_count(queryset)
        return page_answer(queryset[start : start + size], count, pagination.page, size)
