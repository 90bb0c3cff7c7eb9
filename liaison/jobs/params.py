"""A list's querystring kept as a job's params (JSON) and read back, so that the job filters as the page
did: repeated keys (tags, several statuses) stay lists."""

from __future__ import annotations

from django.http import QueryDict


def params_of(query: QueryDict) -> dict:
    return {key: values if len(values) > 1 else values[0] for key, values in query.lists()}


def query_of(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query
