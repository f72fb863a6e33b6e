"""Who can speak: the grammar of a speaker phrase, and the three kinds of speaker.

A quotation is attributed to a noun phrase next to a speech verb ("Kremlin spokesman Dmitry Peskov",
"an official at the Japanese Embassy in Moscow", "Russia's Foreign Ministry", "Moscow", "he"). This module
decides, from the words alone, whether such a phrase can name a speaker at all and of which kind:

- a **person**: a name, perhaps with titles and descriptors in front ("Russian Deputy Ambassador Mikhail
  Galuzin", "86-year-old Kiyoto Tomiyama", "Mr. Medvedev");
- a **role**: an unnamed person or group described by office or station ("a senior government official",
  "Russian officials", "the Japanese PM"), with its head noun ("official", "PM");
- an **organisation**: a ministry, government, agency and the like, or a country or capital standing for its
  government ("the Kremlin", "Moscow", "Japan").

Anything else (a piece of a clause such as "which have long been", a date such as "Monday", a phrase holding
a verb) is no speaker, and the quotation it would have been attributed to is left out rather than guessed.
Resolving pronouns, surnames and roles against the rest of the article is the caller's work
(`bot.ingest.quotes`); this module is pure and knows nothing about articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, NamedTuple

SpeakerKind = Literal["person", "role", "organisation"]
SPEAKER_KINDS: tuple[SpeakerKind, ...] = ("person", "role", "organisation")


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who said a quotation: a display name, its kind, and the description the article gives, if any."""

    kind: SpeakerKind
    name: str
    description: str | None = None


class Tok(NamedTuple):
    """A word, a punctuation mark, or a whole quotation ("q"), with offsets into the article."""

    text: str
    low: str
    start: int
    end: int
    kind: str  # "w" word, "p" punctuation, "q" quotation


_TOKEN = re.compile(
    r"(?P<w>(?:[^\W\d_]\.){2,}"  # U.S., U.N.
    r"|(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Adm|Sgt|Jr|Sr|St)\.(?=\s)"
    r"|\w(?:[\w’'\-]*\w)?(?:[’']s)?)"
    r"|(?P<p>[^\w\s])"
)


def tokenize(text: str, start: int, end: int) -> list[Tok]:
    """The words and punctuation of text[start:end], with offsets into `text`."""
    return [
        Tok(m.group(), m.group().lower(), m.start(), m.end(), "w" if m.lastgroup == "w" else "p")
        for m in _TOKEN.finditer(text, start, end)
    ]


def word_set(*groups: str) -> frozenset[str]:
    """The words of whitespace-separated lists, as a set: lexicons are written as running text."""
    return frozenset(w for g in groups for w in g.split())


_words = word_set


# ---- lexicons (lower case) -------------------------------------------------------------------------------

# The head noun of a phrase that describes people by office, trade or station.
ROLE_HEADS = _words(
    """official officials spokesman spokeswoman spokesperson spokesmen spokeswomen spokespeople spokespersons
    minister ministers ambassador ambassadors diplomat diplomats envoy envoys negotiator negotiators
    representative representatives source sources expert experts analyst analysts observer observers
    scholar scholars researcher researchers professor professors historian historians academic academics
    resident residents islander islanders inhabitant inhabitants fisherman fishermen fisher fishers
    lawmaker lawmakers legislator legislators politician politicians parliamentarian parliamentarians
    governor governors mayor mayors secretary secretaries president presidents premier premiers pm
    leader leaders chairman chairwoman chairperson chair head heads chief chiefs director directors
    aide aides adviser advisers advisor advisors officer officers commander commanders general generals
    admiral admirals member members participant participants survivor survivors veteran veterans
    activist activists villager villagers worker workers owner owners businessman businessmen
    businesswoman entrepreneur entrepreneurs teacher teachers student students man men woman women
    citizen citizens voter voters deputy deputies senator senators mp mps counterpart counterparts
    descendant descendants relative relatives widow widower guide guides captain captains consul consuls
    attache attaché delegate delegates organizer organizers organiser organisers emperor king queen
    prince princess pope cleric priest monk spokesmen coordinator coordinators manager managers
    executive executives ceo founder founders operator operators farmer farmers soldier soldiers
    serviceman servicemen crew crewman crewmen pilot pilots doctor doctors journalist journalists
    correspondent commentator commentators columnist editor editors undersecretary secretary-general
    vice-minister vice-president daughter daughters son sons wife husband mother father brother sister
    grandmother grandfather granddaughter grandson neighbour neighbor neighbours neighbors friend friends
    specialist specialists fellow fellows spokespersons skipper skippers lawyer lawyers attorney attorneys
    prosecutor prosecutors judge judges surgeon surgeons nurse nurses scientist scientists biologist
    biologists curator curators writer writers author authors poet poets singer singers actor actors actress
    filmmaker filmmakers photographer photographers engineer engineers technician technicians pupil pupils
    mp chairman partner partners investor investors buyer buyers trader traders""",
)
# The head noun of a phrase that names an institution.
ORG_HEADS = _words(
    """ministry ministries government governments kremlin embassy embassies consulate consulates agency
    agencies guard guards patrol patrols service services office council committee commission cabinet
    parliament diet duma senate assembly party administration department secretariat forces force navy
    army military command federation association league bank company corporation corp firm group
    organization organisation institute foundation newspaper daily broadcaster network channel court
    police authorities authority side delegation mission headquarters bureau directorate fleet
    prefecture municipality shimbun times post news press journal herald gazette tass interfax xinhua
    yonhap reuters kyodo jiji nhk ria sputnik izvestia kommersant university academy centre center
    society fund alliance coalition union secretariat staff taskforce task-force board watchdog regulator
    operator utility exchange tribunal prosecutors prosecution district reserve park museum cooperative
    co-op seafood seafoods fisheries holdings division section unit branch desk wing team squad brigade
    regiment battalion corps garrison""",
)
# News outlets: when one "reported" a quotation, someone else said it.
NEWS_HEADS = _words(
    """tass interfax xinhua yonhap reuters kyodo jiji nhk ria sputnik izvestia kommersant agency news
    newspaper daily times post journal herald gazette shimbun broadcaster channel network press afp ap"""
)
# What issues statements: "the statement said" is the institution that issued it.
DOCUMENT_HEADS = _words("statement readout communique communiqué release transcript notice")
# Heads that can be a role or an organisation only with a modifier ("the Japanese side").
_WEAK_ORG_HEADS = _words(
    "side group office union staff board operator exchange network channel center centre district"
)
# Countries, capitals and regions that stand for their governments ("Moscow said").
PLACES = _words(
    """japan russia tokyo moscow china beijing ukraine kyiv kiev washington korea seoul pyongyang america
    britain london france paris germany berlin india delhi taiwan taipei brussels hokkaido sakhalin nemuro
    kremlin usa us u.s. uk u.k. eu u.n. un nato asean g7 g20 apec canada ottawa australia canberra
    mongolia vietnam hanoi"""
)
_MULTIWORD_PLACES = frozenset(
    [
        "united states",
        "soviet union",
        "russian federation",
        "south korea",
        "north korea",
        "new delhi",
        "white house",
    ]
)
# Adjectives of nationality, and places and institutions used as modifiers ("Kremlin spokesman").
NATIONALITIES = _words(
    """japanese russian soviet chinese american ukrainian korean british french german indian taiwanese
    european western eastern kremlin tokyo moscow hokkaido sakhalin kuril kurile nemuro u.s. us un u.n.
    eu nato canadian australian mongolian vietnamese"""
)
_NATIONALITY_OF = {
    "japan": "Japanese",
    "tokyo": "Japanese",
    "russia": "Russian",
    "moscow": "Russian",
    "china": "Chinese",
    "beijing": "Chinese",
    "ukraine": "Ukrainian",
    "kyiv": "Ukrainian",
    "america": "U.S.",
    "washington": "U.S.",
    "korea": "Korean",
    "britain": "British",
}
# Words of titles ("First Deputy Prime Minister", "Chief Cabinet Secretary") and honorifics.
TITLE_WORDS = _words(
    """president prime minister foreign deputy vice chief cabinet secretary spokesman spokeswoman
    spokesperson ambassador governor mayor chairman chairwoman director general senior first head envoy
    senator lawmaker professor prof prof. dr dr. mr mr. mrs mrs. ms ms. emperor premier pm interim acting
    press aide adviser advisor defense defence economy economic development trade industry state speaker
    representative consul commander admiral colonel lieutenant captain king queen crown prince princess
    pope secretary-general former then current new outgoing incoming late top parliamentary permanent
    executive assistant special presidential ministerial regional local district provincial sir lord
    lady madam gen. sen. rep. gov. lt. col. capt. adm. sgt. jr. sr. st. mp affairs interior justice
    finance education security health agriculture fisheries transport energy culture labor labour welfare
    environment reconstruction territorial national international policy planning okinawa northern"""
)
PRONOUNS = {"he": "m", "she": "f", "it": "org", "they": "plural"}
DETERMINERS = _words("the a an one two three several some many other another its his her their this that")
_INDEFINITE = _words("a an one two three several some many other another")
# Words that never sit inside a speaker phrase: verbs, conjunctions, relative and personal pronouns.
CLAUSE_WORDS = _words(
    """which who whom whose that when where while because although though if unless since as but and or
    nor so yet is are was were be been being am has have had do does did will would shall should can
    could may might must not no never it they he she we i you me him us them there here what how why
    whether than also""",
)
# Time words and adverbs that can stand between a subject and its verb ("Peskov yesterday said").
TIME_WORDS = _words(
    """yesterday today tonight tomorrow now earlier later then again also further once still previously
    recently repeatedly reportedly separately meanwhile last this next on in at early late morning
    afternoon evening night week weekend month year day monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december jan feb
    mar apr jun jul aug sep sept oct nov dec jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.
    has had have was is were already"""
)
_WEEKDAYS_MONTHS = _words(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december"""
)
PREPOSITIONS = _words("of at for from in with on to within under by")
# Capitalised words that are not names of people.
NOT_NAMES = (
    _words(
        """the a an and but however in on at for with after before since when while as if this that these
        those it its he she they we i you our their his her there here japan russia tokyo moscow kuril
        kurils kuriles islands island peace treaty soviet union united states china korea korean north
        south east west world war ii two group twenty g20 g7 un security council foreign ministry
        government parliament diet duma joint declaration northern territories territory far according
        article several both each some many most other others under together apart besides among
        singapore argentina vladivostok ise sakhalin hokkaido shikotan habomai habomais iturup kunashir
        etorofu kunashiri asia pacific europe european american america chinese british france german
        germany asean apec nato facebook telegram twitter instagram youtube internet god yes no ok
        photo source reuters afp ap tass interfax kyodo jiji nhk xinhua asked speaking responding replying
        answering pressed interviewed reached contacted quoted writing addressing commenting told
        meanwhile separately earlier later still despite"""
    )
    | _WEEKDAYS_MONTHS
    | TITLE_WORDS
    | NATIONALITIES
    | PLACES
    | ORG_HEADS
    | ROLE_HEADS
    | CLAUSE_WORDS
    | DETERMINERS
)
NAME_PARTICLES = _words("de da di du van von der bin al la le dos del ibn")
# Institutions whose words are written with capitals in a display name.
_INSTITUTION_CASE = {
    "foreign ministry": "Foreign Ministry",
    "foreign affairs ministry": "Foreign Ministry",
    "ministry of foreign affairs": "Foreign Ministry",
    "defence ministry": "Defence Ministry",
    "defense ministry": "Defense Ministry",
    "ministry of defence": "Defence Ministry",
    "ministry of defense": "Defense Ministry",
    "coast guard": "Coast Guard",
    "security council": "Security Council",
    "embassy": "Embassy",
    "consulate": "Consulate",
    "kremlin": "Kremlin",
    "press service": "press service",
}
_AGE = re.compile(r"^(?:\d{1,3}(?:-year-old)?|aged)$")
# Professions by their ending: "volcanologist", "economist", "journalist".
_PROFESSION = re.compile(r"^[a-z]{4,}(?:ologist|ist)s?$")
_AGE_WORD = re.compile(r"^\d{1,3}-year-old$")


def is_name_word(tok: Tok) -> bool:
    """A capitalised word that can be part of a person's name."""
    t = tok.text
    if tok.kind != "w" or not t[:1].isupper() or tok.low in NOT_NAMES:
        return False
    if t.isupper() and len(t) > 1 and "." not in t:
        return False  # an acronym: an organisation or a news agency, not a person
    if tok.low.endswith(("’s", "'s")):
        return False
    return not any(ch.isdigit() for ch in t)


def _is_acronym(tok: Tok) -> bool:
    return len(tok.text) > 1 and tok.text.isupper()


def cut_at_preposition(tokens: list[Tok]) -> int:
    """Where a phrase's post-modifier starts: the first preposition after its first word, or a participle
    after its head ("a senior official travelling with Abe")."""
    for i, t in enumerate(tokens):
        if i > 0 and (
            t.low in PREPOSITIONS
            or (i > 1 and _is_participle(t) and tokens[i - 1].low in ROLE_HEADS)
            or (t.low in _ADJECTIVE_POST and tokens[i - 1].low in ROLE_HEADS)
        ):
            return i
    return len(tokens)


# "a source close to the company", "people familiar with the talks": adjectives that start a post-modifier.
_ADJECTIVE_POST = frozenset(("close", "familiar", "near"))


def _is_participle(tok: Tok) -> bool:
    return tok.kind == "w" and tok.text[:1].islower() and tok.low.endswith("ing") and len(tok.low) > 5


def _is_initial(tok: Tok) -> bool:
    return len(tok.text) == 2 and tok.text[0].isupper() and tok.text[1] == "."


def _possessive(low: str) -> str | None:
    """'russia' for "Russia's"; None when the word is no possessive."""
    if low.endswith(("’s", "'s")):
        return low[:-2]
    return None


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase in a speaker position, analysed.

    `kind` is "person", "role", "organisation" or "pronoun". For a person, `name` holds the name as written
    (titles stripped) and `descriptor` what stands in front of it ("Kremlin spokesman"). For a role or an
    organisation, `name` is the display form and `head` the head noun. `definite` tells "the official" (one
    already known) from "an official" (someone new); `bare` is true when the phrase is only a determiner and
    its head ("the ministry"), which can only refer back to one named before.
    """

    kind: str
    name: str
    text: str
    head: str = ""
    descriptor: str | None = None
    definite: bool = False
    bare: bool = False
    plural: bool = False
    start: int = 0
    end: int = 0


def _is_modifier(tok: Tok) -> bool:
    """A word that may stand in front of a role or organisation head."""
    low = tok.low
    if tok.kind != "w" or low in CLAUSE_WORDS or low in _WEEKDAYS_MONTHS:
        return False
    if low.endswith("ly") and not tok.text[:1].isupper() and low not in ("only",):
        return False  # an adverb: "officially", "reportedly"
    if tok.text[:1].isupper() or _possessive(low) is not None or _AGE.match(low):
        return True
    # Lower-case adjectives and nouns ("senior", "regional", "border"); verb forms are not modifiers.
    return not low.endswith(("ed", "ing")) or low in _WORDS_ENDING_LIKE_VERBS


# Modifiers that look like verb forms but are not ("retired" is, as in "a retired diplomat").
_WORDS_ENDING_LIKE_VERBS = _words(
    """retired unnamed unidentified elected appointed designated united based seasoned veteran ranking
    high-ranking senior-ranking leading governing ruling incoming outgoing visiting presiding reigning
    acting presumed so-called unified armed"""
)


def _strip_determiner(tokens: list[Tok]) -> tuple[str | None, list[Tok]]:
    if tokens and tokens[0].low in DETERMINERS and len(tokens) > 1:
        return tokens[0].low, tokens[1:]
    return None, tokens


def _display(tokens: list[Tok]) -> str:
    """The phrase as a display name: possessive places become adjectives, institutions get capitals."""
    words = []
    for i, tok in enumerate(tokens):
        owner = _possessive(tok.low)
        if owner in _NATIONALITY_OF and i + 1 < len(tokens):
            words.append(_NATIONALITY_OF[owner])
        elif i == 0 and tok.text[:1].isupper() and (tok.low in ROLE_HEADS or tok.low in _COMMON_WORDS):
            words.append(tok.low)  # capitalised only because it opens the sentence: "Officials said"
        else:
            words.append(tok.text)
    text = " ".join(words)
    low = text.lower()
    for phrase, cased in _INSTITUTION_CASE.items():
        i = low.find(phrase)
        if (
            i >= 0
            and (i == 0 or low[i - 1] == " ")
            and (i + len(phrase) == len(low) or low[i + len(phrase)] == " ")
        ):
            text = text[:i] + cased + text[i + len(phrase) :]
            low = text.lower()
    return text


# Lower-case words that open a sentence with a capital ("Senior officials said").
_COMMON_WORDS = _words(
    """senior former local top two three several some many retired unnamed anonymous regional other
    japanese-speaking elderly young older younger ordinary""",
)


def _is_place(tokens: list[Tok]) -> bool:
    low = " ".join(t.low for t in tokens)
    if low.startswith("the "):
        low = low[4:]
    return low in PLACES or low in _MULTIWORD_PLACES


def analyse(tokens: list[Tok]) -> Phrase | None:
    """The speaker phrase made of exactly these word tokens, or None when they cannot name a speaker."""
    if not tokens or len(tokens) > 14 or any(t.kind != "w" for t in tokens):
        return None
    text_start, text_end = tokens[0].start, tokens[-1].end
    written = " ".join(t.text for t in tokens)
    if len(tokens) == 1 and tokens[0].low in PRONOUNS:
        low = tokens[0].low
        return Phrase("pronoun", low, written, head=low, start=text_start, end=text_end)
    if any(t.low in CLAUSE_WORDS and not _is_acronym(t) for t in tokens):
        return None
    titled = _titled_person(tokens)
    if titled is not None:
        return titled
    if len(tokens) == 2 and tokens[0].low == "the" and _AGE_WORD.match(tokens[1].low):
        # "the 80-year-old": someone the article gave that age.
        return Phrase(
            "role",
            tokens[1].low,
            written,
            head=tokens[1].low,
            definite=True,
            bare=True,
            start=text_start,
            end=text_end,
        )
    if any(t.low in DETERMINERS for t in tokens[1 : cut_at_preposition(tokens)]):
        return None  # a determiner inside the phrase: two phrases run together
    # A post-modifier: "an official at the Japanese Embassy in Moscow", "a spokesman for the ministry".
    cut = cut_at_preposition(tokens)
    core, post = tokens[:cut], tokens[cut:]
    if post and not _valid_post(post):
        return None
    det, body = _strip_determiner(core)
    if not body:
        return None
    # "the official", "its spokesman" and "Russia's top diplomat" mean one already known.
    definite = det in ("the", "this", "its", "his", "her", "their") or _possessive(body[0].low) is not None
    # A person: the phrase ends in a name ("Russian Deputy Ambassador Mikhail Galuzin").
    n = len(body)
    k = n
    while k > 0 and (
        is_name_word(body[k - 1])
        or _is_initial(body[k - 1])
        or (k < n and body[k - 1].low in NAME_PARTICLES and k - 1 > 0)
    ):
        k -= 1
    name_toks = body[k:]
    while name_toks and name_toks[0].low in NAME_PARTICLES:
        name_toks = name_toks[1:]
    if name_toks and not all(_is_initial(t) for t in name_toks) and len(name_toks) <= 4:
        pre = body[: n - len(name_toks)]
        if det in ("the", "a", "an") and not pre and not _is_place(body):
            # "The Diplomatic Bluebook", "the Erimo": a person's name takes no article without a title.
            return None
        if post and (post[0].low not in ("of", "from") or len(post) > 6):
            return None  # a name does not go on with "with Japan on …": not a speaker phrase
        if not all(_is_modifier(t) or t.low in TITLE_WORDS for t in pre):
            return None
        if _is_place(body) or (len(name_toks) == 1 and name_toks[0].low in ORG_HEADS):
            return Phrase(
                "organisation", _display(body), written, head=body[-1].low, start=text_start, end=text_end
            )
        descriptor = " ".join(t.text for t in pre) or None
        if post:
            tail = " ".join(t.text for t in post)
            descriptor = f"{descriptor} {tail}" if descriptor else tail
        if det in _INDEFINITE and descriptor:
            descriptor = f"{det} {descriptor}"
        return Phrase(
            "person",
            " ".join(t.text for t in name_toks),
            written,
            head=name_toks[-1].low,
            descriptor=descriptor,
            definite=definite,
            start=text_start,
            end=text_end,
        )
    if not all(_is_modifier(t) or t.low in TITLE_WORDS for t in body[:-1]):
        return None
    head_tok = body[-1]
    head = head_tok.low
    if head in DOCUMENT_HEADS and definite and len(body) <= 2 and not post:
        # "the statement said", "the readout added": the institution that issued it.
        return Phrase(
            "organisation", head, written, head=head, definite=True, bare=True, start=text_start, end=text_end
        )
    # "the ministry", "the official": a common noun alone, which can only refer back ("TASS" is a name,
    # "a spokesman" someone new).
    bare = len(body) == 1 and not post and head_tok.text[:1].islower() and definite
    if _is_place(body):
        return Phrase("organisation", _display(body), written, head=head, start=text_start, end=text_end)
    if head in ORG_HEADS and head not in ROLE_HEADS:
        if head in _WEAK_ORG_HEADS and len(body) == 1:
            return None
        # "the Japanese government" and "Russia's Foreign Ministry" are institutions; so is a news agency.
        name = _display(body + post)
        return Phrase(
            "organisation",
            name,
            written,
            head=head,
            definite=definite or det is None,
            bare=bare,
            plural=head in ("authorities", "forces", "prosecutors"),
            start=text_start,
            end=text_end,
        )
    if head in ROLE_HEADS or head.rstrip("s") in ROLE_HEADS or _PROFESSION.match(head):
        return Phrase(
            "role",
            _role_display(body, post),
            written,
            head=head,
            definite=definite,
            bare=bare,
            plural=_plural(head),
            start=text_start,
            end=text_end,
        )
    if head_tok.text.isupper() and len(head_tok.text) > 1 and len(body) == 1:
        return Phrase("organisation", head_tok.text, written, head=head, start=text_start, end=text_end)
    return None


def _name_run(tokens: list[Tok]) -> int:
    """Where the name that ends `tokens` starts (len(tokens) when they end in no name)."""
    n = len(tokens)
    k = n
    while k > 0 and (
        is_name_word(tokens[k - 1])
        or _is_initial(tokens[k - 1])
        or (k < n and tokens[k - 1].low in NAME_PARTICLES and k - 1 > 0)
    ):
        k -= 1
    while k < n and tokens[k].low in NAME_PARTICLES:
        k += 1
    return k


def _titled_person(tokens: list[Tok]) -> Phrase | None:
    """A title that holds a prepositional phrase, then a name: "Russian Ambassador to Japan Mikhail Galuzin",
    "Minister of Foreign Affairs Sergey Lavrov", "head of the Kuril district Konstantin Loginov"."""
    k = _name_run(tokens)
    if k == len(tokens) or k == 0 or len(tokens) - k > 4 or all(_is_initial(t) for t in tokens[k:]):
        return None
    pre = tokens[:k]
    cut = cut_at_preposition(pre)
    if cut == len(pre) or pre[-1].low in PREPOSITIONS or pre[-1].low in DETERMINERS:
        return None  # no preposition in the title (the plain case), or "a spokesman for Putin"
    det, title = _strip_determiner(pre[:cut])
    if not title or not any(t.low in TITLE_WORDS or t.low in ROLE_HEADS for t in title):
        return None
    rest = pre[cut:]
    if len(rest) > 6 or not all(
        t.low in PREPOSITIONS or t.low in ("the", "a", "an") or _is_modifier(t) for t in rest
    ):
        return None
    if not all(_is_modifier(t) or t.low in TITLE_WORDS for t in title):
        return None
    descriptor = " ".join(t.text for t in pre if t.low not in ("the", "a", "an") or t is not pre[0])
    return Phrase(
        "person",
        " ".join(t.text for t in tokens[k:]),
        " ".join(t.text for t in tokens),
        head=tokens[-1].low,
        descriptor=descriptor,
        definite=det == "the",
        start=tokens[0].start,
        end=tokens[-1].end,
    )


def _plural(head: str) -> bool:
    return (head.endswith("s") and not head.endswith(("ss", "us"))) or head in (
        "men",
        "women",
        "people",
        "fishermen",
    )


def _valid_post(post: list[Tok]) -> bool:
    """A chain of prepositional phrases naming institutions and places ("at the Japanese Embassy in Moscow")."""
    if len(post) > 10:
        return False
    for i, tok in enumerate(post):
        if (
            tok.low in PREPOSITIONS
            or tok.low in ("the", "a", "an")
            or (i == 0 and (_is_participle(tok) or tok.low in _ADJECTIVE_POST))
        ):
            continue
        if not _is_modifier(tok):
            return False
    return post[-1].low not in PREPOSITIONS and post[-1].low not in ("the", "a", "an")


def _role_display(body: list[Tok], post: list[Tok]) -> str:
    """'Japanese Embassy official' for "an official at the Japanese Embassy in Moscow"."""
    head = _display(body)
    if post and (_is_participle(post[0]) or post[0].low in _ADJECTIVE_POST):
        return head  # "a senior official travelling with Abe": what he is doing is no part of his role
    if post and post[0].low in ("at", "of", "from", "with"):
        # The institution the person belongs to goes in front; places after it ("in Moscow") are dropped.
        inner = post[1:]
        stop = next((i for i, t in enumerate(inner) if t.low in PREPOSITIONS), len(inner))
        _, owner = _strip_determiner(inner[:stop])
        if owner and len(owner) <= 4 and (owner[0].text[:1].isupper() or _possessive(owner[0].low)):
            return f"{_display(owner)} {head}"
    if post:
        return f"{head} " + " ".join(t.text for t in post)
    return head
