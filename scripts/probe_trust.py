"""The trust probe: attack the running app the way issue 8 did, and print the figures.

    .venv/bin/python scripts/probe_trust.py                 # fresh demo district in a temporary SQLite file
    DATABASE_URL=postgres://…/throwaway .venv/bin/python scripts/probe_trust.py   # a THROWAWAY database
    .venv/bin/python scripts/probe_trust.py --json out.json --per-route 10

It builds the demo district (`migrate`, `seed_demo`), then, through Django's test client:

1. scoping by id: every URL that takes a record id, for records outside the user's subtree, as a village
   clerk, a township secretary and a township administrator; GET, and POST for the actions. A leak is a
   response that shows the foreign record (its address, name or content) or a write that changed it;
2. lists, lookups, exports and PDFs (every URL without an id): foreign households' addresses found;
3. anonymous: every URL without a login; anything but the login page, /healthz and /public/ answering 200;
4. masked roles (镇街管理员, 组织部): full phone and ID numbers from the database found in any page, form,
   lookup, xlsx or PDF, and phones found by searching a partial number (digit-by-digit recovery);
5. bad input: every create and edit form, one hostile value (control characters, NUL, huge ids,
   far-future and year-1 dates, negative numbers, 100,000 characters, a huge formset count) per field
   and post, from a fresh GET each time: 500s, refused posts that changed the database (half-saved), and
   hostile values that were saved;
6. lost updates: two users open the same edit form and both save; a second save that succeeds overwrites.

It only talks to the app in-process and never to the network. It exits 0; the figures are the result.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOSTILE = {
    "control": "地址\x01\x1b测试",
    "nul": "名\x00字",
    "huge_int": "99999999999999999999999",
    "far_future": "9999-12-31",
    "year_one": "0001-01-01",
    "negative": "-1",
    "long_text": "长" * 100_000,
}
PUBLIC_ROUTES = {"login", "healthz", "logout", "password_reset"}


def setup_django() -> str:
    if not os.environ.get("DATABASE_URL"):
        db = Path(tempfile.mkdtemp(prefix="probe-")) / "probe.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings_dev")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import logging

    import django

    django.setup()
    # The probe provokes 404s, 405s and (until they are fixed) 500s by the thousand: it counts them itself.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return os.environ["DATABASE_URL"]


# --- reading responses -------------------------------------------------------------------------------


def body_text(response) -> str:
    data = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(data)
            handle.flush()
            run = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, text=True)
            return run.stdout
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells.extend(str(v) for v in row if v is not None)
        return "\n".join(cells)
    return data.decode("utf-8", "replace")


DIGITS = re.compile(r"[0-9Xx]{7,}")


def numbers_in(text: str) -> set[str]:
    flat = re.sub(r"[\s\-]", "", text)
    found = set()
    for run in DIGITS.findall(flat):
        found.add(run.upper())
        for width in (11, 15, 18):
            for i in range(0, max(0, len(run) - width) + 1):
                found.add(run[i : i + width].upper())
    return found


# --- the data ----------------------------------------------------------------------------------------


def routes():
    from django.urls import get_resolver

    out = []

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if hasattr(p, "url_patterns"):
                walk(p, prefix + str(p.pattern))
            else:
                out.append((prefix + str(p.pattern), p.name, p.callback))

    walk(get_resolver())
    return [r for r in out if r[1] and not r[0].startswith("admin/") and "static" not in r[0]]


ROUTE_MODELS = [
    ("household-", "liaison.Household"),
    ("member-", "members.PartyMember"),
    ("unitpairing-", "members.UnitPairing"),
    ("unitrecord-", "members.UnitPairing"),
    ("pairing-", "members.Pairing"),
    ("point-", "members.LiaisonPoint"),
    ("post-holder-", "members.PostAssignment"),
    ("post-", "members.Post"),
    ("opinion-", "feedback.Opinion"),
    ("assignment-", "feedback.Assignment"),
    ("urge-", "feedback.Urge"),
    ("extension-", "feedback.Extension"),
    ("quota-", "liaison.QuotaRule"),
]


def model_for(name: str):
    from django.apps import apps

    for prefix, label in ROUTE_MODELS:
        if name.startswith(prefix):
            return apps.get_model(label)
    return None


def organisations_of(obj, depth: int = 2) -> set[int]:
    """Every organisation the record hangs from, through foreign keys and many-to-many, two steps deep."""
    from liaison.models import Organisation

    found: set[int] = set()
    if isinstance(obj, Organisation):
        return {obj.pk}
    for field in obj._meta.get_fields():
        if field.is_relation and field.many_to_one and field.related_model is not None:
            if field.name in ("created_by", "updated_by", "user", "recorded_by", "issued_by", "answered_by"):
                continue
            target = getattr(obj, field.name, None)
            if target is None:
                continue
            if isinstance(target, Organisation):
                found.add(target.pk)
            elif depth > 1:
                found |= organisations_of(target, depth - 1)
        elif field.many_to_many and not field.auto_created and depth > 1:
            for target in getattr(obj, field.name).all()[:5]:
                found |= organisations_of(target, depth - 1)
    return found


def marker(obj) -> str:
    """A string that shows the record was displayed."""
    for attr in ("address", "content", "summary", "title", "name"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and len(value) >= 4:
            return value[:40]
    for attr in ("household", "opinion", "point", "pairing"):
        related = getattr(obj, attr, None)
        if related is not None:
            return marker(related)
    return ""


def snapshot(obj) -> str:
    from django.forms.models import model_to_dict

    obj = type(obj).objects.filter(pk=obj.pk).first()
    if obj is None:
        return "<deleted>"
    parts = [repr(sorted(model_to_dict(obj).items(), key=lambda kv: kv[0]))]
    for rel in obj._meta.related_objects:
        if rel.one_to_many and rel.related_model._meta.app_label in ("liaison", "members", "feedback"):
            accessor = rel.get_accessor_name()
            rows = getattr(obj, accessor).all().order_by("pk")[:50]
            parts.append(repr([sorted(model_to_dict(r).items(), key=lambda kv: kv[0]) for r in rows]))
    return "\n".join(parts)


LOG_TABLES = ("accesslog", "logentry", "auditlog", "session", "axes", "importbatch", "formtoken", "history")


def fingerprint() -> dict:
    from django.apps import apps
    from django.db.models import Max

    out = {}
    for label in ("liaison", "members", "feedback"):
        for model in apps.get_app_config(label).get_models():
            if any(t in model._meta.db_table.lower() for t in LOG_TABLES):
                continue
            agg = model.objects.aggregate(m=Max("pk"))
            out[model._meta.label] = (model.objects.count(), agg["m"])
    return out


# --- clients -----------------------------------------------------------------------------------------


def client_for(username: str | None):
    from django.test import Client

    from liaison.models import User

    client = Client(raise_request_exception=False, HTTP_HOST="testserver")
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def fill(pattern: str, name: str, obj_pk=None):
    """A concrete URL for a route, with the given record id (or any record of the right kind)."""
    from django.urls import NoReverseMatch, reverse

    kwargs = {}
    params = re.findall(r"<(?:(\w+):)?(\w+)>", pattern)
    if not params:
        return reverse(name)
    for converter, key in params:
        if key == "pk":
            if obj_pk is None:
                return None
            kwargs[key] = obj_pk
        elif key == "year":
            kwargs[key] = 2026
        elif converter == "uuid":
            from members.models import ImportBatch

            batch = ImportBatch.objects.first()
            if batch is None:
                return None
            kwargs[key] = getattr(batch, key, None) or batch.pk
        else:
            return None
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def is_login_redirect(response) -> bool:
    return response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", "")


# --- the probes --------------------------------------------------------------------------------------

PERSONAS = ["jingban", "shuji", "zhenjie"]
MASKED = ["zhenjie", "zuzhibu"]


def probe_scoping(per_route: int) -> dict:
    from liaison.access.scoping import visible_organisations
    from liaison.models import User

    result = Counter()
    leaks = []
    for username in PERSONAS:
        user = User.objects.get(username=username)
        visible = set(visible_organisations(user).values_list("pk", flat=True))
        client = client_for(username)
        for pattern, name, _ in routes():
            model = model_for(name)
            if model is None or "<int:pk>" not in pattern or name.startswith("quota-"):
                continue
            foreign = []
            for obj in model.objects.order_by("?")[: per_route * 20]:
                orgs = organisations_of(obj)
                if orgs and not (orgs & visible):
                    foreign.append(obj)
                if len(foreign) >= per_route:
                    break
            for obj in foreign:
                url = fill(pattern, name, obj.pk)
                if not url:
                    continue
                mark = marker(obj)
                before = snapshot(obj)
                for method in ("get", "post"):
                    response = getattr(client, method)(url, follow=(method == "get"))
                    result["requests"] += 1
                    if response.status_code >= 500:
                        result["server_errors"] += 1
                    shown = (
                        response.status_code == 200
                        and mark
                        and mark in body_text(response)
                        and response.request.get("PATH_INFO", "") == url
                    )
                    if shown or snapshot(obj) != before:
                        result["leaks"] += 1
                        leaks.append(f"{username} {method.upper()} {url}")
    result["leak_examples"] = leaks[:10]
    return dict(result)


def probe_lists() -> dict:
    from liaison.access.scoping import visible_organisations
    from liaison.models import Household, User

    result = Counter()
    found = []
    for username in PERSONAS:
        user = User.objects.get(username=username)
        visible = visible_organisations(user)
        inside = set(Household.objects.filter(organisation__in=visible).values_list("address", flat=True))
        outside = {
            a
            for a in Household.objects.exclude(organisation__in=visible).values_list("address", flat=True)
            if a and a not in inside and len(a) >= 6
        }
        client = client_for(username)
        for pattern, name, _ in routes():
            if "<" in pattern or name in PUBLIC_ROUTES or name == "logout":
                continue
            url = fill(pattern, name)
            for query in ("", "?page=2", "?q=" if "lookup" in name else None):
                if query is None:
                    continue
                response = client.get(url + query)
                result["requests"] += 1
                if response.status_code >= 500:
                    result["server_errors"] += 1
                if response.status_code != 200:
                    continue
                text = body_text(response)
                hits = {a for a in outside if a in text}
                result["foreign_rows"] += len(hits)
                found.extend(f"{username} {url}{query}: {a}" for a in list(hits)[:2])
    result["examples"] = found[:10]
    return dict(result)


def probe_anonymous() -> dict:
    result = Counter()
    client = client_for(None)
    open_urls = []
    for pattern, name, _ in routes():
        model = model_for(name)
        obj = model.objects.first() if model else None
        url = fill(pattern, name, obj.pk if obj else None)
        if not url:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            result["requests"] += 1
            if response.status_code >= 500:
                result["server_errors"] += 1
            allowed = name in PUBLIC_ROUTES or name.startswith("public") or name == "favicon"
            if response.status_code == 200 and not allowed:
                result["open"] += 1
                open_urls.append(f"{method.upper()} {url}")
    result["open_examples"] = open_urls[:10]
    return dict(result)


def personal_numbers() -> tuple[set[str], list[tuple[str, int]]]:
    from feedback.models import Opinion
    from liaison.models import Household, Resident
    from members.models import PartyMember

    numbers: set[str] = set()
    phones: list[tuple[str, int]] = []
    for value, hid in Household.objects.exclude(phone="").values_list("phone", "pk"):
        numbers.add(re.sub(r"[\s\-]", "", value).upper())
        phones.append((re.sub(r"\D", "", value), hid))
    for phone, idn in Resident.objects.values_list("phone", "id_number"):
        for v in (phone, idn):
            if v:
                numbers.add(re.sub(r"[\s\-]", "", v).upper())
    # A cadre with a login works under their own phone: it is printed as the contact on the 交办单 and
    # shown to everyone who works with them, so it is not a resident's personal number.
    for fields in PartyMember.objects.filter(user__isnull=True).values_list("phone", "id_number"):
        numbers |= {re.sub(r"[\s\-]", "", v).upper() for v in fields if v}
    for (v,) in PartyMember.objects.filter(user__isnull=False).values_list("id_number"):
        if v:
            numbers.add(v.upper())
    for (v,) in Opinion.objects.exclude(reporter_phone="").values_list("reporter_phone"):
        numbers.add(re.sub(r"[\s\-]", "", v).upper())
    return {n for n in numbers if len(n) >= 7}, phones


def probe_masking(per_route: int) -> dict:
    from liaison.access.scoping import visible_organisations
    from liaison.models import Household, User

    numbers, phones = personal_numbers()
    result = Counter()
    examples = []
    for username in MASKED:
        user = User.objects.get(username=username)
        visible = set(visible_organisations(user).values_list("pk", flat=True))
        client = client_for(username)
        for pattern, name, _ in routes():
            if name in PUBLIC_ROUTES or name == "logout":
                continue
            model = model_for(name)
            targets = [None]
            if "<int:pk>" in pattern:
                if model is None:
                    continue
                targets = [
                    o.pk
                    for o in model.objects.order_by("?")[: per_route * 10]
                    if (organisations_of(o) & visible) or not organisations_of(o)
                ][:per_route]
            for pk in targets:
                url = fill(pattern, name, pk)
                if not url:
                    continue
                response = client.get(url)
                result["requests"] += 1
                if response.status_code >= 500:
                    result["server_errors"] += 1
                if response.status_code != 200:
                    continue
                leaked = numbers_in(body_text(response)) & numbers
                if leaked:
                    result["full_numbers_shown"] += len(leaked)
                    examples.append(f"{username} {url}: {sorted(leaked)[:2]}")
        # Digit-by-digit: a masked role searches a partial phone and learns whether the household has it.
        inside = [
            (p, h)
            for p, h in phones
            if len(p) == 11 and Household.objects.filter(pk=h, organisation__in=visible).exists()
        ]
        for phone, hid in inside[:5]:
            for cut in (7, 9, 10):
                for url in ("/households/?q=", "/members/lookup/households/?q="):
                    response = client.get(url + phone[:cut])
                    result["partial_searches"] += 1
                    if (
                        response.status_code == 200
                        and f"/households/{hid}/" in body_text(response)
                        or (response.status_code == 200 and f'"id": {hid}' in body_text(response))
                    ):
                        result["partial_matches"] += 1
    result["examples"] = examples[:10]
    return dict(result)


FIELD_KIND = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.S)


def field_kinds(html: str) -> dict[str, str]:
    """name → date, number, select or text, from the rendered form."""
    kinds = {}
    for tag, attrs in FIELD_KIND.findall(html):
        name = re.search(r'name="([^"]+)"', attrs)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', attrs)
        kinds[name.group(1)] = (
            "select" if tag == "select" else (kind.group(1) if kind and tag == "input" else "text")
        )
    return kinds


# A hostile value is a defect when saved into a field of this kind; "9999-12-31" saved in an address is
# just text.
REFUSED_IN = {
    "control": None,  # any field
    "nul": None,
    "huge_int": {"select", "number", "hidden"},
    "far_future": {"date"},
    "year_one": {"date"},
}


def form_routes():
    for pattern, name, _ in routes():
        if name.endswith(("-create", "-update", "-edit")) or name in ("post-assign", "opinion-create"):
            yield pattern, name


def probe_bad_input(limit_fields: int) -> dict:
    from tests.forms_utils import form_fields

    result = Counter()
    accepted = Counter()
    examples = []
    client = client_for("shuji")
    for pattern, name in form_routes():
        model = model_for(name)
        pk = None
        if "<int:pk>" in pattern:
            obj = (
                model.objects.filter(
                    **({"organisation__code__startswith": "BN-JS"} if hasattr(model, "organisation") else {})
                ).first()
                if model
                else None
            )
            if obj is None:
                continue
            pk = obj.pk
        url = fill(pattern, name, pk)
        if not url:
            continue
        first = client.get(url)
        if first.status_code != 200:
            continue
        kinds = field_kinds(first.content.decode())
        fields = [
            k
            for k in form_fields(first.content.decode())
            if not k.endswith(("INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"))
        ]
        for field in fields[:limit_fields]:
            for kind, value in HOSTILE.items():
                page = client.get(url)
                data = form_fields(page.content.decode())
                data[field] = value
                obj = model.objects.filter(pk=pk).first() if pk else None
                before_row = snapshot(obj) if obj else None
                before = fingerprint()
                response = client.post(url, data)
                result["requests"] += 1
                if response.status_code >= 500:
                    result["server_errors"] += 1
                    examples.append(f"500 {url} {field}={kind}")
                    continue
                saved = response.status_code in (301, 302) and not is_login_redirect(response)
                changed = fingerprint() != before or (obj is not None and snapshot(obj) != before_row)
                if not saved and changed:
                    result["half_saved"] += 1
                    examples.append(f"half-saved {url} {field}={kind}")
                where = REFUSED_IN.get(kind, set())
                if saved and changed and (where is None or kinds.get(field, "text") in where):
                    accepted[kind] += 1
                    examples.append(f"accepted {url} {field}={kind}")
    result["accepted_hostile"] = sum(accepted.values())
    result["accepted_by_kind"] = dict(accepted)
    result["examples"] = examples[:15]
    return dict(result)


def first_text_field(data: dict) -> str | None:
    for key, value in data.items():
        low = key.lower()
        if any(
            s in low
            for s in (
                "phone",
                "id_number",
                "name",
                "date",
                "token",
                "version",
                "total",
                "code",
                "record_state",
                "submission",
            )
        ):
            continue
        # "<field>__search" is the lookup box's typed text, not a field of the record.
        if (
            isinstance(value, str)
            and not value.isdigit()
            and "-" not in key[:3]
            and not key.endswith("__search")
        ):
            return key
    return None


def probe_lost_updates() -> dict:
    from tests.forms_utils import form_fields

    result = Counter()
    examples = []
    a, b = client_for("shuji"), client_for("shuji")
    for pattern, name in form_routes():
        if "<int:pk>" not in pattern:
            continue
        model = model_for(name)
        if model is None:
            continue
        for obj in model.objects.order_by("pk")[:3]:
            url = fill(pattern, name, obj.pk)
            page_a, page_b = a.get(url), b.get(url)
            if page_a.status_code != 200 or page_b.status_code != 200:
                continue
            data_a, data_b = form_fields(page_a.content.decode()), form_fields(page_b.content.decode())
            field = first_text_field(data_a)
            if field is None:
                continue
            data_a[field] = f"{data_a[field]} 甲改"
            data_b[field] = f"{data_b[field]} 乙改"
            first = a.post(url, data_a)
            if first.status_code not in (301, 302):
                continue
            result["pairs"] += 1
            second = b.post(url, data_b)
            if second.status_code >= 500:
                result["server_errors"] += 1
            elif second.status_code in (301, 302):
                result["lost_updates"] += 1
                examples.append(f"{name} {url} field {field}")
            break
    result["examples"] = examples[:10]
    return dict(result)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-route", type=int, default=10, help="foreign records tried per URL and user")
    parser.add_argument("--fields", type=int, default=40, help="fields per form given hostile values")
    parser.add_argument("--json", help="also write the figures here")
    parser.add_argument("--only", nargs="*", help="run only these probes (e.g. lost_updates masking)")
    args = parser.parse_args()
    started = time.monotonic()
    database = setup_django()
    from django.db import connection

    figures = {"database": connection.vendor}
    for label, probe in (
        ("scoping_by_id", lambda: probe_scoping(args.per_route)),
        ("lists_exports_pdfs", probe_lists),
        ("anonymous", probe_anonymous),
        ("masking", lambda: probe_masking(max(2, args.per_route // 3))),
        ("bad_input", lambda: probe_bad_input(args.fields)),
        ("lost_updates", probe_lost_updates),
    ):
        if args.only and label not in args.only:
            figures[label] = {}
            continue
        t0 = time.monotonic()
        figures[label] = probe()
        figures[label]["seconds"] = round(time.monotonic() - t0, 1)
        print(f"{label}: {json.dumps(figures[label], ensure_ascii=False)}", flush=True)
    figures["seconds"] = round(time.monotonic() - started, 1)
    print()
    print(f"| probe ({figures['database']}) | requests | finding |")
    print("|---|---|---|")
    s, li, an, m, bi, lu = (
        figures[k]
        for k in ("scoping_by_id", "lists_exports_pdfs", "anonymous", "masking", "bad_input", "lost_updates")
    )
    print(f"| other subtrees' records by id | {s.get('requests', 0)} | {s.get('leaks', 0)} leaks |")
    print(
        f"| lists, lookups, exports, PDFs | {li.get('requests', 0)} | {li.get('foreign_rows', 0)} rows from another subtree |"
    )
    print(f"| anonymous | {an.get('requests', 0)} | {an.get('open', 0)} pages open |")
    print(
        f"| masked roles: every page, form, lookup, export, PDF | {m.get('requests', 0)} | {m.get('full_numbers_shown', 0)} full numbers shown |"
    )
    print(
        f"| masked roles: partial-number searches | {m.get('partial_searches', 0)} | {m.get('partial_matches', 0)} matches |"
    )
    print(
        f"| hostile values into every form field | {bi.get('requests', 0)} | {bi.get('server_errors', 0)} server errors, {bi.get('half_saved', 0)} half-saved, {bi.get('accepted_hostile', 0)} hostile values saved |"
    )
    print(
        f"| two users save the same record | {lu.get('pairs', 0)} | {lu.get('lost_updates', 0)} lost updates |"
    )
    total_500 = sum(figures[k].get("server_errors", 0) for k in figures if isinstance(figures[k], dict))
    print(f"\n500s in all probes: {total_500}. {figures['seconds']} s on {database.split(':')[0]}.")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
