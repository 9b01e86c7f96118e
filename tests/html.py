import html5lib


def assert_valid_html(content: bytes | str) -> None:
    """Parse with the WHATWG parser in strict mode: any parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(content)


def ids_are_unique(content: str) -> bool:
    import re

    ids = re.findall(r'\sid="([^"]+)"', content)
    return len(ids) == len(set(ids))
