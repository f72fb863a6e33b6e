"""Every speaker, not only the curated ones: people, roles and organisations, each resolved or dropped.

The sentences are written for these tests in the styles of wire and newspaper copy; none is taken from an
article. Each case lists, in text order, (speaker, kind) of every quotation that must be found, and the
test fails on a missing quote, a wrong speaker or a quotation that should have been left out.
"""

from __future__ import annotations

import pytest

from tests.helpers import extract

PERSON, ROLE, ORG = "person", "role", "organisation"

PEOPLE_OUTSIDE_THE_DIRECTORY = [
    (
        '"The sea was full of salmon then," said Anatoly Kvasnikov, a 71-year-old fisherman from Kunashir.\n',
        [("Anatoly Kvasnikov", PERSON)],
    ),
    (
        "Yuriko Sato, whose parents are buried on Shikotan, joined the voyage.\n\n"
        '"I could see the hills of my village," Sato said.\n',
        [("Yuriko Sato", PERSON)],
    ),
    (
        "Boris Yeltsin flew to Tokyo in October 1993.\n\n"
        '"We must solve this problem in a way that does not humiliate anyone," Yeltsin told reporters.\n',
        [("Boris Yeltsin", PERSON)],
    ),
    (
        "Toshio Nakamura, 88, was born on Etorofu.\n\n"
        '"I do not want to die before I see it again," said a tearful Nakamura.\n',
        [("Toshio Nakamura", PERSON)],
    ),
    (
        'Former Prime Minister Yoshiro Mori said: "The door to talks is still open."\n',
        [("Yoshiro Mori", PERSON)],
    ),
    (
        '"We waited for seventy years," said Kenta Ishikawa, who heads a league of former islanders. '
        '"We can wait a little longer."\n',
        [("Kenta Ishikawa", PERSON), ("Kenta Ishikawa", PERSON)],
    ),
    (
        'Local historian Irina Sokolova said the church was built in 1927. "Nobody remembers that now," she said.\n',
        [("Irina Sokolova", PERSON)],
    ),
    ('Mr. Tanaka, 80, said: "I remember the day the soldiers came to our house."\n', [("Tanaka", PERSON)]),
    # A surname the article never gives in full, with nothing to say it is a person: left out.
    ('"We will keep our promise," Hoshino said.\n', []),
]

ORGANISATIONS = [
    (
        '"The exercises threaten the security of the region," the Japanese Defense Ministry said in a statement.\n',
        [("Japanese Defense Ministry", ORG)],
    ),
    ('Moscow said the deployment was "a routine measure on Russian territory."\n', [("Moscow", ORG)]),
    ('"Tokyo has no right to interfere in our internal affairs," the Kremlin said.\n', [("Kremlin", ORG)]),
    (
        '"The visit went ahead as planned," the Kremlin press service said.\n',
        [("Kremlin press service", ORG)],
    ),
    ('Japan called the drills "deeply regrettable" and lodged a protest.\n', [("Japan", ORG)]),
    (
        'Russia\'s Defence Ministry said on Tuesday that its troops had "successfully completed" the exercise.\n',
        [("Russian Defence Ministry", ORG)],
    ),
    (
        '"We are monitoring the situation closely," the Japan Coast Guard said.\n',
        [("Japan Coast Guard", ORG)],
    ),
    (
        "The Russian Foreign Ministry summoned the Japanese ambassador on Monday. "
        '"Such statements are unacceptable," it said in a statement.\n',
        [("Russian Foreign Ministry", ORG)],
    ),
    (
        '"The new airport will open in the spring," the Sakhalin regional government said.\n',
        [("Sakhalin regional government", ORG)],
    ),
    (
        "The Japanese government protested. The ministry of foreign affairs in Tokyo said the visit "
        '"hurts the feelings of the Japanese people."\n',
        [("Foreign Ministry in Tokyo", ORG)],
    ),
]

ROLES = [
    (
        '"We cannot accept this," a senior Japanese government official told reporters.\n',
        [("senior Japanese government official", ROLE)],
    ),
    (
        '"The talks are frozen," a Russian diplomat said on condition of anonymity.\n',
        [("Russian diplomat", ROLE)],
    ),
    (
        '"The protest was delivered this morning," a spokesman for the ministry\'s Russia division said.\n',
        [("spokesman for the ministry's Russia division", ROLE)],
    ),
    (
        'Officials at the Japanese consulate in Yuzhno-Sakhalinsk said the visas were "no longer valid."\n',
        [("Japanese Consulate officials", ROLE)],
    ),
    ('Two former islanders said they were "heartbroken" by the decision.\n', [("former islanders", ROLE)]),
    (
        '"It was our home," one former resident said. "It still is."\n',
        [("former resident", ROLE), ("former resident", ROLE)],
    ),
    (
        '"The schedule has not changed," an official at the Russian Embassy in Tokyo said.\n\n'
        '"Flights will resume in June," the official added.\n',
        [("Russian Embassy official", ROLE), ("Russian Embassy official", ROLE)],
    ),
    ('"We will not give up," the vice foreign minister told the Diet.\n', [("vice foreign minister", ROLE)]),
    # Someone the article cannot identify: "the minister" with no minister named before.
    ('"We will not give up," the minister said.\n', []),
]

SHORT_PARTIAL_QUOTES = [
    (
        'Foreign Minister Sergei Lavrov said Moscow would "assist" in the search.\n',
        [("Sergey Lavrov", PERSON)],
    ),
    ('Tokyo described the seizure as an "unforgivable outrage."\n', [("Tokyo", ORG)]),
    ('The Kremlin called the statement "unacceptable".\n', [("Kremlin", ORG)]),
    ('Russian officials expressed "regret" over the incident.\n', [("Russian officials", ROLE)]),
    (
        'Moscow last week pulled out of the talks, citing the "hostile course" of the Japanese government.\n',
        [("Moscow", ORG)],
    ),
    # Scare quotes, titles, names and quoted document text are not speech.
    ('The so-called "special military operation" changed everything.\n', []),
    ('The "no-visa" exchanges were suspended in 2022.\n', []),
    ('The Diplomatic Bluebook calls the islands "an integral part of Japan".\n', []),
    ('The document states that the Soviet Union "agrees to transfer" the islands.\n', []),
    ('A sign at the port says "Welcome to Nemuro, the city closest to the islands".\n', []),
    ('Article 9 says the islands "will be handed over after a peace treaty is signed."\n', []),
    ('He was wearing a "Kuril Islands" T-shirt.\n', []),
    ('The ship flew a banner reading "Return the Northern Territories".\n', []),
]

NO_CLAUSE_FRAGMENTS = [
    (
        "Kremlin spokesman Dmitry Peskov on Tuesday told reporters that further talks were "
        '"impossible under the current circumstances."\n',
        [("Dmitry Peskov", PERSON)],
    ),
    (
        "Kremlin spokesman Dmitry Peskov said Japan had chosen sanctions. The islands, which have long been "
        'claimed by Japan, are "an inseparable part of Russia," he said.\n',
        [("Dmitry Peskov", PERSON)],
    ),
    (
        'Abe and Putin said in a joint statement that they would "accelerate negotiations."\n',
        [],
    ),
    (
        "Russian officials met the delegation in Kurilsk. "
        '"The border regime will be strengthened," they said.\n',
        [("Russian officials", ROLE)],
    ),
]


def _found(text: str) -> list[tuple[str, str]]:
    return [(q.speaker, q.speaker_kind) for q in extract(text, "2023-03-15").quotes]


@pytest.mark.parametrize(("text", "expected"), PEOPLE_OUTSIDE_THE_DIRECTORY)
def test_people_outside_the_directory_are_speakers(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(("text", "expected"), ORGANISATIONS)
def test_organisations_are_speakers(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(("text", "expected"), ROLES)
def test_unnamed_officials_and_roles_are_speakers(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(("text", "expected"), SHORT_PARTIAL_QUOTES)
def test_short_quotes_governed_by_a_speech_verb_are_speech(
    text: str, expected: list[tuple[str, str]]
) -> None:
    found = extract(text, "2023-03-15").quotes
    assert [(q.speaker, q.speaker_kind) for q in found] == expected
    assert all(q.partial for q in found)


@pytest.mark.parametrize(("text", "expected"), NO_CLAUSE_FRAGMENTS)
def test_a_speaker_is_never_a_piece_of_a_clause(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_the_introducing_description_is_kept() -> None:
    text = (
        "Sergei Ivanov, a 63-year-old Russian resident of Etorofu Island, runs a fish shop.\n\n"
        '"Japanese tourists used to come every summer," said Ivanov.\n\n'
        '"Now nobody comes," Kremlin spokesman Dmitry Peskov said.\n'
    )
    quotes = extract(text, "2023-03-15").quotes
    assert [(q.speaker, q.speaker_description) for q in quotes] == [
        ("Sergei Ivanov", "a 63-year-old Russian resident of Etorofu Island"),
        ("Dmitry Peskov", "Kremlin spokesman"),
    ]


def test_a_description_never_reaches_back_across_a_line_break() -> None:
    # A photo credit ends the line before: "TASS" is the agency of the photo, not part of Abe's title.
    text = (
        "Mikhail Mettsel / TASS\n\n"
        "Japanese Prime Minister Shinzo Abe said on Friday he intends to push forward.\n\n"
        "\u201cWe both do not want this to drag out into another generation,\u201d Abe said.\n"
    )
    quotes = extract(text, "2019-01-04").quotes
    assert [(q.speaker, q.speaker_description) for q in quotes] == [("Shinzo Abe", "Japanese Prime Minister")]


def test_directory_spellings_are_canonical() -> None:
    text = '"The islands are ours," said Russian Foreign Minister Sergei Lavrov.\n'
    assert _found(text) == [("Sergey Lavrov", PERSON)]
    assert _found('Shinzō Abe visited Nemuro.\n\n"We will solve it," he said.\n') == [("Shinzo Abe", PERSON)]


CLAUSES_AND_REFERENCES = [
    # The verb of a relative clause that has closed does not govern what follows it.
    (
        'Kishida told lawmakers that the islands, which Russia calls the Southern Kurils, "belong to Japan."\n',
        [("Fumio Kishida", PERSON)],
    ),
    # A news agency that passes a remark on is not its speaker.
    (
        'Lavrov said Japan had chosen an "unfriendly" course, Interfax reported.\n',
        [("Sergey Lavrov", PERSON)],
    ),
    (
        'Separately, TASS reported that a post had opened, saying it would "guard the border."\n',
        [("TASS", ORG)],
    ),
    (
        '"The harbour was destroyed," Interfax quoted Pavel Orlov, head of the district council, as saying.\n',
        [("Pavel Orlov", PERSON)],
    ),
    # A name in apposition to a role, and a participle clause before the verb.
    (
        'Russia\'s top diplomat, Sergei Lavrov, called the sanctions "illegal and shortsighted."\n',
        [("Sergey Lavrov", PERSON)],
    ),
    (
        'Abe, meeting Putin for the 20th time, said he wanted to "take the next step."\n',
        [("Shinzo Abe", PERSON)],
    ),
    (
        "Russia's Federal Security Service, which guards the border, said the boat had been "
        '"fishing illegally."\n',
        [("Russian Federal Security Service", ORG)],
    ),
    (
        "The criticism came from Prime Minister Fumio Kishida, who told a rally that the islands were "
        '"inherent territories of Japan."\n',
        [("Fumio Kishida", PERSON)],
    ),
    # A participle or a second verb takes the subject that opens the sentence.
    (
        'Putin met veterans in Vladivostok. He praised their courage, calling them "heroes of the Pacific."\n',
        [("Vladimir Putin", PERSON)],
    ),
    (
        'The foreign minister, Taro Kono, summoned the ambassador and expressed "deep regret."\n',
        [("Taro Kono", PERSON)],
    ),
    ('Moscow has condemned the rally, accusing Tokyo of "revanchist sentiment."\n', [("Moscow", ORG)]),
    ('As one former islander put it: "We are the last witnesses."\n', [("former islander", ROLE)]),
    # A role that refers back to the person the article described that way.
    (
        "Russian Deputy Foreign Minister Andrei Rudenko spoke to reporters in Moscow.\n\n"
        '"Dialogue is impossible while sanctions remain," the diplomat said.\n\n'
        '"We are ready for humanitarian contacts," the deputy minister added.\n',
        [("Andrei Rudenko", PERSON), ("Andrei Rudenko", PERSON)],
    ),
    (
        "Russian Prime Minister Mikhail Mishustin arrived on Iturup on Monday.\n\n"
        '"Much remains to be done," the head of the Russian government said.\n',
        [("Mikhail Mishustin", PERSON)],
    ),
    (
        "Russian President Boris Yeltsin and Prime Minister Morihiro Hosokawa signed the declaration.\n\n"
        '"We will honour every treaty," the Russian leader said.\n',
        [("Boris Yeltsin", PERSON)],
    ),
    # A person the article names once in full and then by surname with "Mr", in any order.
    (
        "Kazuki Mori has fished these waters all his life.\n\n"
        '"The sea gives and the sea takes," he says.\n\n'
        "Mr Mori is 70.\n",
        [("Kazuki Mori", PERSON)],
    ),
    (
        "In Nemuro, Hokkaido, Takeshi Ono, 80, watched the summit on television. "
        '"I only want to visit the graves," he said.\n',
        [("Takeshi Ono", PERSON)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CLAUSES_AND_REFERENCES)
def test_clauses_and_references_reach_the_speaker(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


PEOPLE_AS_FEATURES_DESCRIBE_THEM = [
    # An age that refers back to the person the article gave it.
    (
        "Kenji Sato, 82, was born on Shikotan.\n\n"
        '"We left in a fishing boat at night," the 82-year-old said.\n',
        [("Kenji Sato", PERSON)],
    ),
    (
        '"Nobody has read these files," said Anna Petrova, a historian in Yuzhno-Sakhalinsk. The 52-year-old '
        'scholar said the archives were "still closed to foreigners."\n',
        [("Anna Petrova", PERSON), ("Anna Petrova", PERSON)],
    ),
    # Two of one family: the surname alone is the one introduced first, the other goes by first name.
    (
        "Taro Ishida, 84, fished off Kunashiri for decades. His wife, Yoko Ishida, grew up there.\n\n"
        '"I still dream of the river," Yoko said.\n\n'
        '"She dreams, I remember," Ishida said.\n',
        [("Yoko Ishida", PERSON), ("Taro Ishida", PERSON)],
    ),
    ('"She never gave up," said her son, Hiroshi, who lives in Sapporo.\n', [("Hiroshi", PERSON)]),
    (
        "The Minister for Okinawa and Northern Territories Affairs, Mr Kenta Mori, spoke first.\n\n"
        '"We will not give up," the Minister said.\n',
        [("Kenta Mori", PERSON)],
    ),
    (
        "The panel heard from Dr. Irina Volkova, a specialist in maritime law, who warned of "
        '"a permanent military frontier."\n',
        [("Irina Volkova", PERSON)],
    ),
]

CLAUSE_SUBJECTS = [
    (
        'A senior official travelling with the prime minister would only say: "Wait for the summit."\n',
        [("senior official", ROLE)],
    ),
    (
        'The leaders met in Sochi in May, when Putin surprised Abe by proposing talks "without any conditions."\n',
        [("Vladimir Putin", PERSON)],
    ),
    (
        'The Japan Coast Guard said it had warned crews to stay away "under any circumstances."\n',
        [("Japan Coast Guard", ORG)],
    ),
    (
        'Last week its embassy in Moscow described the plant as "contrary to our position," according to the '
        "Russian Foreign Ministry.\n",
        [("Embassy in Moscow", ORG)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), PEOPLE_AS_FEATURES_DESCRIBE_THEM)
def test_people_as_features_describe_them(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(("text", "expected"), CLAUSE_SUBJECTS)
def test_the_clause_subject_speaks(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


REFERENCES_TO_INSTITUTIONS_AND_RELATIVES = [
    (
        "Japan's Foreign Ministry lodged a protest on Tuesday.\n\n"
        '"The deployment is unacceptable," the statement said.\n',
        [("Japanese Foreign Ministry", ORG)],
    ),
    (
        "The Kurilsky nature reserve posted photographs of the fox.\n\n"
        '"Such behaviour kills animals," the reserve said.\n',
        [("Kurilsky nature reserve", ORG)],
    ),
    ('"Nothing has been signed," a source close to the talks said.\n', [("source", ROLE)]),
    (
        "The drills began on Monday, according to Interfax, which quoted a spokesman as saying the troops would "
        '"repel any landing."\n',
        [("spokesman", ROLE)],
    ),
    (
        'Russia\'s Foreign Ministry, in a comment carried by TASS, said any claim would be "futile."\n',
        [("Russian Foreign Ministry", ORG)],
    ),
    (
        'The Russian Foreign Ministry, asked about the protest, said the islands were "Russian territory."\n',
        [("Russian Foreign Ministry", ORG)],
    ),
    (
        '"We protested at once," a spokesman for the Foreign Ministry\'s Russian Division said.\n',
        [("spokesman for the Foreign Ministry's Russian Division", ROLE)],
    ),
    (
        "Asked whether he expected a deal, Tadashi Mori paused before answering:\n\n"
        '"Expected? No. Hoped? Every day."\n',
        [("Tadashi Mori", PERSON)],
    ),
    (
        "Kubo's classmate, Ren Igarashi, 16, said the group argued a lot. "
        '"But we do not stop talking," he said.\n',
        [("Ren Igarashi", PERSON)],
    ),
    (
        "The skipper, Kenji Sato, 58, was detained.\n\n"
        'Sato\'s wife, Michiko, 55, waited at the port. "He is careful," she said.\n',
        [("Michiko", PERSON)],
    ),
    (
        '"The crater is active," said Ivan Belov, a volcanologist. "We will go back in July," the volcanologist '
        "said.\n",
        [("Ivan Belov", PERSON), ("Ivan Belov", PERSON)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), REFERENCES_TO_INSTITUTIONS_AND_RELATIVES)
def test_references_to_institutions_and_relatives(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


PUNCTUATION_AND_ONE_WORD_NAMES = [
    # A question in quotation marks is followed by its attribution in the same sentence.
    (
        "Ruslan Akhmetov arrived on Shikotan in 2011.\n\n"
        '"People ask why I stayed. Who would replace me?" Akhmetov said.\n',
        [("Ruslan Akhmetov", PERSON)],
    ),
    # A remark between dashes, and a long participle clause, are read past.
    (
        "The regional prosecutor's office, represented by Dmitry Orlov — no relation to the judge — said it "
        'was "studying the verdict."\n',
        [("regional prosecutor's office", ORG)],
    ),
    (
        "The Russian Foreign Ministry, asked by Interfax about a protest lodged by Tokyo earlier this month over "
        'a visit by a deputy minister, said the islands were "an integral part of Russia."\n',
        [("Russian Foreign Ministry", ORG)],
    ),
    # One word that names an institution, by its full name before or by what it is said to be.
    (
        "Ostrov Seafood will build a plant on Iturup. Ostrov said the plant would create "
        '"at least 350 permanent jobs."\n',
        [("Ostrov Seafood", ORG)],
    ),
    (
        'Zvezda, the Defence Ministry\'s television channel, called the base "a fortress on the Pacific."\n',
        [("Zvezda", ORG)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), PUNCTUATION_AND_ONE_WORD_NAMES)
def test_punctuation_and_one_word_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected
