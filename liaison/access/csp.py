"""Content-Security-Policy on every HTML page (django-csp), with no inline script or style.

The policy (settings.CONTENT_SECURITY_POLICY) allows scripts, styles, fonts and fetches from this
site only: an injected <script>, onclick= or style= does nothing even if escaping were ever missed.
Pages keep their behaviour in static/js/app.js and the apps' static/*.js, and their looks in
static/css/app.css. Bootstrap needs no exception: it styles through the CSSOM (allowed) and draws
its icons from data: SVG images (img-src data:).

Only HTML responses get the header: a PDF, a workbook or JSON runs no script, and Chromium's PDF
viewer should not be subjected to a page's policy.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware


class HtmlCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
