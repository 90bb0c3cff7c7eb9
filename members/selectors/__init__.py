"""Reads for the members app. Every queryset starts from liaison.access.scoping (`scoped`), never from a
hand-built Organisation filter; lists are paginated by the views and cost a constant number of queries."""
