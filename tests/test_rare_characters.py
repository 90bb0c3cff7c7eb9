"""Characters outside GBK: 𠮷 (CJK Extension B) prints from the fallback font; a character that no
print font has is flagged where it is typed (next to the field, after saving) and on the PDF."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.documents import fontcheck
from liaison.documents.fontcheck import FONT_PATH, missing_glyphs, print_fonts
from liaison.documents.printable import UNPRINTABLE_FIELD
from liaison.models import Household, Resident
from tests.factories import ResidentFactory
from tests.pdf_utils import pdf_fonts, pdf_text, response_bytes
from tests.test_households import new_household_post

EXT_B = "𠮷"  # U+20BB7, as in 𠮷野家; a real surname character
EXT_A = "㐱"  # U+3431, CJK Extension A
# U+31350, CJK Extension H (Unicode 15): in no print font, the case that must be flagged.
NOWHERE = "\U00031350"
NOTE = "注意：本件含有字库无法打印的字（U+31350）"


def flat(text: str) -> str:
    return "".join(text.split())


def test_the_fallback_font_is_installed_and_loaded_by_path():
    """scripts/bootstrap.sh installs fonts-hanazono; the PDFs load its files, not fontconfig's choice."""
    paths = [font.path for font in print_fonts()]
    assert paths[0] == FONT_PATH
    assert all(font.path.is_file() for font in fontcheck.FALLBACK_FONTS), (
        "fonts-hanazono is missing: run scripts/bootstrap.sh as root (apt-get install fonts-hanazono)"
    )
    assert len(paths) == 3


def test_fontcheck_considers_both_fonts():
    assert missing_glyphs(EXT_B, path=FONT_PATH) == {EXT_B}  # the shipped GBK font alone lacks it
    assert missing_glyphs(f"王{EXT_B}{EXT_A}堃") == set()
    assert missing_glyphs(f"王{NOWHERE}") == {NOWHERE}
    # Hangul is in HanaMinA's file but outside its unicode-range: the PDF would not use it for that.
    assert missing_glyphs("한") == {"한"}


def test_without_the_fallback_font_extension_b_is_flagged(monkeypatch, tmp_path):
    monkeypatch.setattr(
        fontcheck,
        "FALLBACK_FONTS",
        tuple(
            fontcheck.PrintFont(f.family, tmp_path / f.path.name, f.ranges) for f in fontcheck.FALLBACK_FONTS
        ),
    )
    assert print_fonts() == (fontcheck.SHIPPED_FONT,)
    assert missing_glyphs(f"王{EXT_B}") == {EXT_B}


@pytest.fixture
def rare_household(household_a):
    ResidentFactory(
        household=household_a, name=f"王{EXT_B}{EXT_A}", relation=Resident.Relation.CHILD, phone=""
    )
    return household_a


@pytest.mark.django_db
def test_extension_b_name_prints_on_the_household_card(client_for, clerk_a, rare_household):
    pdf = response_bytes(client_for(clerk_a).get(reverse("household-pdf", args=[rare_household.pk])))
    text = pdf_text(pdf)
    assert f"王{EXT_B}{EXT_A}" in flat(text)
    names = [font["name"] for font in pdf_fonts(pdf)]
    assert any("Liaison-CJK-Ext" in name for name in names), names
    assert all(font["emb"] and font["sub"] for font in pdf_fonts(pdf))
    assert missing_glyphs(text) == set() and "注意" not in text


@pytest.mark.django_db
def test_a_character_no_font_has_is_noted_on_every_page_of_the_pdf(client_for, clerk_a, household_a):
    ResidentFactory(household=household_a, name=f"王{NOWHERE}", relation=Resident.Relation.CHILD, phone="")
    pdf = response_bytes(client_for(clerk_a).get(reverse("household-pdf", args=[household_a.pk])))
    pages = [flat(page) for page in pdf_text(pdf).split("\f") if page.strip()]
    assert pages and all(NOTE in page for page in pages)


@pytest.mark.django_db
class TestFormsWarn:
    def test_household_form_warns_next_to_the_field_and_saves_intact(self, client_for, clerk_a, tree):
        client = client_for(clerk_a)
        data = new_household_post(client, tree["village_a"], **{"residents-1-name": f"李{NOWHERE}"})
        response = client.post(reverse("household-create"), data, follow=True)
        assert Resident.objects.filter(name=f"李{NOWHERE}").exists()  # stored intact
        assert "含有打印字库没有的字" in response.text and "U+31350" in response.text
        household = Household.objects.get()
        edit = client.get(reverse("household-update", args=[household.pk])).text
        # The warning sits in the resident's name field, not elsewhere on the page.
        assert edit.count("data-unprintable") == 1
        name_input = edit.index(f'value="李{NOWHERE}"')
        assert 0 < edit.index("data-unprintable", name_input) - name_input < 600

    def test_extension_b_is_printable_so_no_warning(self, client_for, clerk_a, tree):
        client = client_for(clerk_a)
        data = new_household_post(client, tree["village_a"], **{"residents-1-name": f"王{EXT_B}"})
        response = client.post(reverse("household-create"), data, follow=True)
        assert Resident.objects.filter(name=f"王{EXT_B}").exists()
        assert "data-unprintable" not in response.text and "打印字库" not in response.text

    def test_opinion_form_warns_when_redisplayed(self, client_for, clerk_a, tree):
        from tests.forms_utils import form_fields

        client = client_for(clerk_a)
        data = form_fields(client.get(reverse("opinion-create")).text)
        data.update({"reporter_name": f"王{NOWHERE}", "subject": ""})  # subject missing: shown again
        response = client.post(reverse("opinion-create"), data)
        assert response.status_code == 200
        warning = UNPRINTABLE_FIELD.format(chars=f"{NOWHERE}（U+31350）")
        assert warning in response.text


def test_the_font_build_still_reads_fontcheck_without_django():
    """scripts/build_font.py (make font) loads fontcheck.py by path, outside Django."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_font.py"
    spec = importlib.util.spec_from_file_location("_build_font_under_test", path)
    build_font = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_font)
    loaded = build_font._load_fontcheck()
    assert len(loaded.gbk_hanzi()) == 20923
