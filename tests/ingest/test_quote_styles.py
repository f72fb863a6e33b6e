"""Attribution styles seen in wire and newspaper coverage: each quote gets the right speaker or none."""

from __future__ import annotations

import pytest

from tests.helpers import extract

CASES = [
    (
        '"There is no talk of handing over the islands," Kremlin spokesman Dmitry Peskov told reporters.\n',
        "Dmitry Peskov",
    ),
    (
        'TOKYO (Reuters) - Japanese Prime Minister Fumio Kishida said on Tuesday that talks would go on.\n\n"We will continue to negotiate," Kishida told reporters.\n',
        "Fumio Kishida",
    ),
    (
        'Russian Foreign Minister Sergei Lavrov said Moscow was ready.\n\n"Japan must recognise the results of World War Two," Lavrov told a news conference in Moscow on Jan. 14, 2019.\n',
        "Sergey Lavrov",
    ),
    (
        '"Japan must recognise the results of World War Two," said Russian Foreign Minister Sergei Lavrov.\n',
        "Sergey Lavrov",
    ),
    ('Lavrov said: "The islands are ours."\n', "Sergey Lavrov"),
    (
        'Kishida told parliament that "the Northern Territories are an inherent part of Japan."\n',
        "Fumio Kishida",
    ),
    (
        '"We protest strongly," Chief Cabinet Secretary Yoshimasa Hayashi said at a news conference.\n',
        "Yoshimasa Hayashi",
    ),
    (
        'Sakhalin governor Valery Limarenko said on Monday the new airport on Iturup was ready. "Flights will start in spring," he added.\n',
        "Valery Limarenko",
    ),
    (
        'Maria Zakharova, the Russian Foreign Ministry spokeswoman, said: "Tokyo has chosen confrontation."\n',
        "Maria Zakharova",
    ),
    ('"Tokyo has chosen confrontation," Zakharova wrote on Telegram.\n', "Maria Zakharova"),
    ('"Tokyo has chosen confrontation," the Russian foreign ministry spokeswoman said.\n', "Maria Zakharova"),
    (
        'Japanese Foreign Minister Yoko Kamikawa met her Russian counterpart. "We discussed the visits," she said.\n',
        "Yoko Kamikawa",
    ),
    (
        'Abe and Putin met in Vladivostok. "We agreed to speed up talks," Putin said, adding that "no deadline" had been set.\n',
        "Vladimir Putin",
    ),
    ('"The question of the islands," Putin said, "is not on the agenda."\n', "Vladimir Putin"),
    (
        'In a statement, Japan\'s Foreign Ministry said the drills were "unacceptable."\n',
        "Japanese Foreign Ministry",
    ),
    ('"We will never give up," said Tomohiro Sato, a former resident of Etorofu island.\n', "Tomohiro Sato"),
    (
        'Former resident Hiroshi Suzuki, 85, said: "I want to visit my parents\' graves once more."\n',
        "Hiroshi Suzuki",
    ),
    (
        'Putin told reporters: "Japan is not independent in its decisions." He added: "We are ready to talk."\n',
        "Vladimir Putin",
    ),
    ('Medvedev visited Kunashir in 2010, calling it "an important Russian region."\n', "Dmitry Medvedev"),
    (
        '"It is an important Russian region," Dmitry Medvedev, then Russia\'s president, said during the visit.\n',
        "Dmitry Medvedev",
    ),
    (
        'Japanese Prime Minister Shigeru Ishiba spoke after meeting Donald Trump and Xi Jinping\'s envoy.\n\n"Our position on the Northern Territories has not changed," he said.\n',
        "Shigeru Ishiba",
    ),
    (
        'Foreign Minister Yoko Kamikawa said Japan would protest. Russian envoy Nikolai Nozdrev was summoned.\n\n"This is unacceptable," she told reporters.\n',
        "Yoko Kamikawa",
    ),
    (
        '"The Kuril Islands are Russian territory and this is not up for discussion," Russian Deputy Foreign Minister Andrei Rudenko told RIA Novosti.\n',
        "Andrei Rudenko",
    ),
    (
        'Putin spoke at the Eastern Economic Forum.\n\n"We have never refused to talk. We are ready.\n\n"But Japan imposed sanctions," Putin said.\n',
        "Vladimir Putin",
    ),
    (
        '"We will build a new port on Shikotan," Limarenko said. "It will be ready by 2027."\n',
        "Valery Limarenko",
    ),
    ('According to the Kremlin spokesman, the talks "have reached a dead end."\n', "Dmitry Peskov"),
    ('The so-called "special military operation" changed everything, analysts said.\n', None),
    ('Russia calls the islands the "Southern Kurils".\n', None),
    (
        '"Japan\'s actions are hostile," the Russian Foreign Ministry said in a statement.\n',
        "Russian Foreign Ministry",
    ),
    (
        'Russian Ambassador Mikhail Galuzin said in an interview with Kyodo News reporter Yuki Tanaka.\n\n"Moscow is open to dialogue," he said.\n',
        "Mikhail Galuzin",
    ),
    ('"We want our islands back," says Kenji Yamada, 79, who was born on Shikotan.\n', "Kenji Yamada"),
    ('Abe said that "a peace treaty is within reach."\n', "Shinzo Abe"),
]


@pytest.mark.parametrize(("text", "speaker"), CASES)
def test_every_quote_has_the_right_speaker_or_is_dropped(text: str, speaker: str | None) -> None:
    quotes = extract(text, "2023-03-15").quotes
    if speaker is None:
        assert quotes == []
    else:
        assert quotes
        assert {q.speaker for q in quotes} == {speaker}
