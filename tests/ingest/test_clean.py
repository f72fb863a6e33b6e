from __future__ import annotations

import pytest

from bot.ingest.clean import clean
from bot.ingest.segment import paragraphs, split_sentences
from tests.helpers import SEEDS, extract


def _seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def _sentences(text: str) -> list[str]:
    c = clean(text)
    return [text[s.start : s.end] for s in split_sentences(text, paragraphs(text, c.blocks))]


def test_breadcrumb_and_comment_form_are_furniture() -> None:
    text = _seed("002")
    c = clean(text)
    reasons = {text[f.start : f.end][:20]: f.reason for f in c.furniture}
    assert reasons["Home » Press » Inter"] == "breadcrumb"
    assert any(r.startswith("page tail") for k, r in reasons.items() if k.startswith("Leave a Reply"))
    assert all("Required fields" not in text[b.start : b.end] for b in c.blocks)
    assert c.title == "Peace treaty between Russia, Japan needed for regional, global stability – Japanese PM"


def test_photo_credit_caption_and_nav_line_are_furniture() -> None:
    text = _seed("001")
    c = clean(text)
    furniture = {text[f.start : f.end]: f.reason for f in c.furniture}
    assert furniture["All news"] == "navigation or notice"
    assert furniture["Japanese Prime Minister Shinzo Abe EPA-EFE/TOMS KALNINS"] == "photo credit"
    assert furniture["Japanese Prime Minister Shinzo Abe"] == "photo caption"
    assert c.title == "Japanese PM says Tokyo will pursue peace treaty with Russia, cooperation in all areas"


def test_dateline_is_metadata_not_a_sentence() -> None:
    text = _seed("001")
    c = clean(text)
    assert c.dateline == "January 22" and c.agency == "TASS"
    sentences = _sentences(text)
    assert not any(s.startswith("TOKYO") for s in sentences)
    assert sentences[0].startswith("The Japanese government seeks")


def test_source_line_becomes_url_and_disclaimer_is_dropped() -> None:
    text = _seed("004")
    c = clean(text)
    assert c.source_url == (
        "https://themoscowtimes.com/news/japan-plans-to-push-for-peace-treaty-with-russia-pm-says-64035"
    )
    kept = " ".join(b.text for b in c.blocks)
    assert "Source:" not in kept and "[Disclaimer]" not in kept and "Mikhail Mettsel" not in kept


def test_other_news_tail_is_dropped() -> None:
    text = _seed("000")
    c = clean(text)
    assert "Other News:" not in " ".join(b.text for b in c.blocks)
    assert [b.text for b in c.blocks if b.kind == "heading"] == [
        "8-Point Economic Cooperation Plan for Japan-Russia Treaty"
    ]


def test_sentence_split_across_blank_lines_is_one_sentence() -> None:
    text = _seed("004")
    sentences = _sentences(text)
    assert (
        "“We both do not want this to drag out into another generation,” Abe said on\n\nFriday." in sentences
    )


def test_headline_is_not_joined_to_the_next_paragraph() -> None:
    text = "Tokyo sees its relations with Moscow as most promising\n\nTOKYO, January 22. /TASS/. Abe spoke.\n"
    c = clean(text)
    assert [b.kind for b in c.blocks] == ["title", "paragraph"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Abe met Putin. They talked.", ["Mr. Abe met Putin.", "They talked."]),
        (
            "The U.S. and Japan signed it in 1960. It angered Moscow.",
            ["The U.S. and Japan signed it in 1960.", "It angered Moscow."],
        ),
        (
            "It was signed on Jan. 19, 1956. Ratification followed.",
            ["It was signed on Jan. 19, 1956.", "Ratification followed."],
        ),
        (
            "V. Putin arrived at 10 a.m. on Monday. He left.",
            ["V. Putin arrived at 10 a.m. on Monday.", "He left."],
        ),
        ("“We agreed.” The talks went on.", ["“We agreed.”", "The talks went on."]),
        ('He said so. " In view of that, he left.', ["He said so.", '" In view of that, he left.']),
    ],
)
def test_sentence_splitting_handles_abbreviations_and_quotes(text: str, expected: list[str]) -> None:
    assert _sentences(text + "\n") == expected


def test_offsets_point_into_the_original_text() -> None:
    for path in SEEDS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        c = clean(text)
        for b in c.blocks:
            assert text[b.start : b.end] == b.text or text[b.start : b.end].strip() == b.text.strip()
        for f in c.furniture:
            assert text[f.start : f.end].strip()


@pytest.mark.parametrize(
    ("line", "caption", "credit"),
    [
        (
            "Border guards patrol the shore of Kunashir on Oct. 15, 2018. Photo: Reuters",
            "Border guards patrol the shore of Kunashir on Oct. 15, 2018.",
            "Photo: Reuters",
        ),
        (
            "The two leaders shake hands in Vladivostok, Sept. 5, 2019. Sputnik/Mikhail Klimentyev/Kremlin via REUTERS",
            "The two leaders shake hands in Vladivostok, Sept. 5, 2019.",
            "Sputnik/Mikhail Klimentyev/Kremlin via REUTERS",
        ),
        (
            "A fishing boat leaves Nemuro harbour. (Photo by Kyodo)",
            "A fishing boat leaves Nemuro harbour.",
            "(Photo by Kyodo)",
        ),
        (
            "Shikotan seen from the deck of a ferry. REUTERS/Issei Kato",
            "Shikotan seen from the deck of a ferry.",
            "REUTERS/Issei Kato",
        ),
        (
            "Patrol boats near Iturup in a photo released Tuesday. (AP Photo/Hiro Tanaka)",
            "Patrol boats near Iturup in a photo released Tuesday.",
            "(AP Photo/Hiro Tanaka)",
        ),
        (
            "Former islanders look toward Kunashiri from Cape Shiretoko. (Kyodo)",
            "Former islanders look toward Kunashiri from Cape Shiretoko.",
            "(Kyodo)",
        ),
        (
            "Abe and Putin talk in Vladivostok in September 2018. | KYODO",
            "Abe and Putin talk in Vladivostok in September 2018.",
            "| KYODO",
        ),
    ],
)
def test_caption_and_its_credit_on_one_line_keep_the_caption(line: str, caption: str, credit: str) -> None:
    text = f"Abe met Putin.\n\n{line}\n\nThe talks went on.\n"
    c = clean(text)
    assert caption in [b.text for b in c.blocks if b.kind == "paragraph"]
    assert (credit, "photo credit") in [(text[f.start : f.end], f.reason) for f in c.furniture]
    assert caption in _sentences(text)


def test_captioned_date_and_island_become_facts_but_the_credit_does_not() -> None:
    text = "Tokyo protests drills\n\nRussian troops land on Iturup on Oct. 15, 2018. Photo: AP\n\nTokyo protested.\n"
    facts = extract(text, "2018-10-20")
    assert [(e.date.iso(), e.citation.excerpt) for e in facts.events] == [
        ("2018-10-15", "Russian troops land on Iturup on Oct. 15, 2018.")
    ]
    assert [f.island for f in facts.island_facts] == ["iturup"]


@pytest.mark.parametrize(
    "caption",
    [
        "Russian President Vladimir Putin, right, and Japanese Prime Minister Shinzo Abe shake hands in Moscow",
        "Visitors from Nemuro walk past the old Japanese cemetery on Shikotan during a visa-free visit",
    ],
)
def test_caption_full_of_names_still_reads_as_a_sentence(caption: str) -> None:
    text = f"Islanders wait in Nemuro\n\n{caption}\n\nThe museum opened in 1981.\n"
    assert [b.kind for b in clean(text).blocks] == ["title", "caption", "paragraph"]


def test_caption_without_full_stop_is_its_own_sentence() -> None:
    caption = (
        "Former residents of Shikotan, now in their eighties, look at old photographs of the island "
        "at a museum in Nemuro"
    )
    text = f"Islanders wait in Nemuro\n\nMarch 1, 2023\n\n{caption}\n\nThe museum opened in 1981.\n"
    c = clean(text)
    assert [(b.kind, b.text) for b in c.blocks][2] == ("caption", caption)
    assert _sentences(text) == [caption, "The museum opened in 1981."]
    assert [f.island for f in extract(text).island_facts] == ["shikotan"]


@pytest.mark.parametrize(
    "heading",
    [
        "Japan and Russia remain far apart on the islands",  # a headline in sentence case: short
        "Maglev Station Unveiled; Only Underground Stop Between Shinagawa and Nagoya Draws Crowds of Visitors",
        "Kishida Vows to Keep Pushing for Talks with Moscow Despite Sanctions Row over the Islands",
        "Tuesday, May 15, 2001, updated at 08:18",
    ],
)
def test_headlines_and_stamps_stay_headings(heading: str) -> None:
    text = f"Islanders wait in Nemuro\n\n{heading}\n\nThe museum opened in 1981.\n"
    assert [b.kind for b in clean(text).blocks] == ["title", "heading", "paragraph"]


def test_caption_in_markup_printed_twice_is_one_block_without_the_tags() -> None:
    caption = "Two former islanders, both born on Taraku before the war, hold a map of the Habomai islets"
    text = f"Islanders wait in Nemuro\n\n<p>{caption}</p>\n\n{caption}\n\nThe museum opened in 1981.\n"
    c = clean(text)
    captions = [b for b in c.blocks if b.kind == "caption"]
    assert [b.text for b in captions] == [caption]
    assert text[captions[0].start : captions[0].end] == caption
    assert ("repeated line", caption) in [(f.reason, text[f.start : f.end]) for f in c.furniture]
    assert [f.citation.excerpt for f in extract(text).island_facts] == [caption]
