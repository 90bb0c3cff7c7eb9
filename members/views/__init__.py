"""Thin views: each calls a selector or a service and renders."""
