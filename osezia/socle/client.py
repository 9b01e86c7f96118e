"""Who is calling: the client's IP address, trusting only the proxies the operator declared.

Behind the documented reverse proxy every request comes from the proxy's address; the real
client is then the address that proxy appended to `X-Forwarded-For`. `TRUSTED_PROXY_COUNT`
says how many proxies stand in front of the platform (0: none, `REMOTE_ADDR` is the client).
Entries a client wrote itself into the header are never trusted: only the rightmost
`TRUSTED_PROXY_COUNT` entries were written by our proxies.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's IP address as the trusted proxies saw it ("" when it cannot be known)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "") or ""
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < count:
        # Fewer hops than proxies: the request did not come through all of them.
        return remote
    return _valid(hops[-count]) or remote
