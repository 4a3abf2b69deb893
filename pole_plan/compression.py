"""Gzip for the app's own text responses (pages, CSV, JSON); static files are compressed ahead
of time by WhiteNoise, and workbooks and PDFs are compressed already.

BREACH (a secret in a compressed body guessed from the size of responses that also reflect
what an attacker sent) is why this is safe here: the only secret our pages carry in their
body is the CSRF token, which Django masks with a new random salt in every response, so no
two responses hold the same bytes for it; Django's GZipMiddleware also pads every response
with up to 100 random bytes (« Heal the Breach »), which blurs the size an attack measures.
Session and CSRF cookies travel in headers, which gzip does not touch."""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("text/", "application/json")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text responses only (not xlsx, PDF or images)."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
