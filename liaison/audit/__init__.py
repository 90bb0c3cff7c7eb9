"""The audit trail: every create, change and delete of a domain record, with who, when, from which
address, and the old and new values (issue 8 "Every change and every look on record").

django-auditlog writes the entries (one `auditlog.LogEntry` table, a JSON diff per change, the actor
and address from `liaison.audit.middleware`). `registry.register_app_models` registers every model of a
domain app in its AppConfig.ready, so a model added later is audited without anyone remembering to;
the few models left out are listed in `registry.NOT_AUDITED` with the reason. Bulk writes, which send
no signals, log their rows through `liaison.audit.bulk`. `liaison.audit.history` reads the entries back
for a record's page, masked for roles without `liaison.view_personal_data`.
"""
