"""The Content-Security-Policy, built from settings (see settings.py)."""

from urllib.parse import urlsplit

from csp.constants import HEADER, NONCE, NONE, SELF
from csp.middleware import CSPMiddleware
from django.core.exceptions import ImproperlyConfigured


def tile_origin(tile_url):
    """The origin map tiles load from, as a CSP source; None without tiles.

    A "{s}" subdomain placeholder becomes a wildcard: "https://{s}.tile.x.org/
    {z}/{x}/{y}.png" gives "https://*.tile.x.org". A relative URL (tiles served
    by the site itself) needs nothing beyond 'self'.
    """
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}", "s-placeholder"))
    if not parts.netloc:
        return None
    if parts.scheme not in ("http", "https"):
        raise ImproperlyConfigured(
            f"MAP_TILE_URL={tile_url!r} must be an http(s) URL or a path."
        )
    host = parts.netloc.replace("s-placeholder", "*")
    if "{" in host or "}" in host:
        raise ImproperlyConfigured(
            f"MAP_TILE_URL={tile_url!r}: only {{s}} may vary in the host name."
        )
    return f"{parts.scheme}://{host}"


def content_security_policy(tile_url):
    """django-csp settings: same-origin only, scripts only with the nonce."""
    images = [SELF, "data:"]
    origin = tile_origin(tile_url)
    if origin:
        images.append(origin)
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF],
            # One fixed style attribute in django-simple-history's admin page
            # ("border-top: 0"), allowed by its hash alone.
            "style-src-attr": [
                "'unsafe-hashes'",
                "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
            ],
            "img-src": images,
            "font-src": [SELF],
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
        }
    }


# JSON, CSV and GeoJSON answers are never rendered as documents: nothing may
# load from them and no page may frame them (OWASP's advice for REST APIs).
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
API_PREFIX = "/api/v1/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with a fixed, stricter policy for the API.

    The page policy is built per response (it may carry a nonce); API answers
    get API_POLICY as is, which also saves that work on every cached read.
    """

    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX) and HEADER not in response:
            response[HEADER] = API_POLICY
            return response
        return super().process_response(request, response)
