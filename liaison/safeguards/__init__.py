"""What keeps records whole whatever is typed or clicked, shared by every form and app.

- `text`: characters no text may hold (control characters, NUL), refused at input, stripped on export;
- `ids`: ids from a URL, a query string or a picker that the database can hold;
- `dates`: the plausible range of every date (births, joins, receipts, plans …), in one table;
- `forms`: `GuardedForm` / `GuardedModelForm`, the base every form in the project uses, which applies
  the three above to each field;
- `concurrency`: a stale save is refused and told what changed (optimistic locking on any record);
- `idempotency`: a create form submitted twice makes one record.
"""
