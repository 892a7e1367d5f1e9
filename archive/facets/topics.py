"""Topic facet: what an article is mostly about, from the IPTC Media Topics top level.

The taxonomy is the 17 top-level IPTC Media Topics (``medtop:01000000`` … ``medtop:17000000``),
each given a short, lowercase display name that is easy to type as a facet value on the command
line ("economy", "politics", "science and technology", …). The names, codes, descriptions and a
weighted keyword lexicon live in ``archive/facets/data/topics.json``; a small statistical model
lives in ``archive/facets/data/topics_model.json``. See ``docs/topics.md``.

Two parts, standard library only:

* **Keyword scores** for all 17 topics (hand-written lexicon, no training): tokens are
  lower-case runs of ASCII letters and digits, apostrophes dropped; weighted keyword hits
  (single words and two-word phrases, with regular plurals and possessives, a few
  case-sensitive words such as ``"Labour"``) are summed per topic, title hits counting
  :data:`TITLE_WEIGHT` times. :func:`keyword_topics` is the keyword-only classifier.
* **A multinomial Naive Bayes model** over word unigrams (plurals folded), trained by
  ``scripts/train_topics.py`` on a labelled news set to tell apart the five topics it covers
  (economy, arts and culture, politics, science and technology, sport); the keyword scores of
  those five enter its decision as one extra term.

:func:`classify_topics` combines them as a two-level decision: the keyword scores decide the
*group* (the best of the twelve other topics against the best of the model's five: another
topic leads only when its keyword score exceeds :data:`GROUP_ODDS` × (the five's best score +
a head start, :data:`GROUP_HEAD_START`)), and the model decides *which* of its five topics. Further topics follow in keyword
score order.

Data are loaded lazily on first use (:func:`functools.lru_cache`); importing this module does no
work.
"""

from __future__ import annotations

import gc
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from operator import mul
from typing import Any

__all__ = [
    "GROUP_HEAD_START",
    "GROUP_ODDS",
    "MIN_DENSITY",
    "MIN_EVIDENCE",
    "MIN_SECONDARY_DENSITY",
    "MODEL_MIN_MARGIN",
    "RELATIVE_THRESHOLD",
    "TITLE_WEIGHT",
    "TopicDecision",
    "TopicModel",
    "TopicRecord",
    "classify_topics",
    "describe_topics",
    "explain_topics",
    "fold_token",
    "keyword_topics",
    "load_model",
    "model_features",
    "score_topics",
    "topic_names",
]

#: How many times a keyword in the title counts compared with one in the body.
TITLE_WEIGHT = 3
#: A secondary topic must score at least this fraction of the highest keyword score.
RELATIVE_THRESHOLD = 0.5
#: The main topic needs at least this raw weighted score (one specific keyword in the title, or
#: a few in the body); below it the article gets no topic.
MIN_EVIDENCE = 3.0
#: The main topic needs at least this many score points per 100 (weighted) tokens.
MIN_DENSITY = 0.5
#: A secondary topic needs at least this many score points per 100 (weighted) tokens.
MIN_SECONDARY_DENSITY = 2.0
#: Texts shorter than this many weighted tokens are normalised as if they had this many, so a
#: headline alone does not get an inflated density.
MIN_LENGTH = 40

_DATA_PACKAGE = "archive.facets"
_DATA_FILE = "data/topics.json"

# Runs of ASCII letters and digits ("mp3", "co2", "f1" stay single tokens), matched after
# lower-casing and deleting apostrophes: "Labour's" gives "labours", "women's rights" gives
# "womens rights", and the lexicon holds those "-s" forms. Keywords are ASCII, so a non-ASCII
# letter simply ends a token.
_TOKEN_RE = re.compile(r"[a-z0-9]+")
_APOSTROPHES = ("'", "\u2019")

_Hits = tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class TopicRecord:
    """One taxonomy entry as described to users (``--help``, docs).

    ``name`` is the display name used as facet value; ``code`` the IPTC Media Topic qcode
    (``medtop:04000000``); ``iptc_label`` IPTC's own English label; ``keyword_count`` the
    number of keywords listed for the topic in the data file.
    """

    name: str
    code: str
    iptc_label: str
    description: str
    keyword_count: int


@dataclass(frozen=True)
class _Lexicon:
    """The compiled keyword tables (internal)."""

    names: tuple[str, ...]
    records: tuple[TopicRecord, ...]
    # token (or token pair) -> ((topic index, weight), ...), matched on lower-cased text
    unigrams: dict[str, _Hits]
    bigrams: dict[tuple[str, str], _Hits]
    # case-sensitive single words: exact form -> hits, found with ``cased_re`` in the original
    # text, which is only scanned when a lower-cased token is in ``cased_triggers``
    cased: dict[str, _Hits]
    cased_re: re.Pattern[str] | None
    cased_triggers: frozenset[str]


def _plural(word: str) -> str:
    """The regular English plural of ``word`` (good enough for lexicon expansion)."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 2 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _forms(word: str) -> set[str]:
    """``word`` and its regular plural.

    Only plurals are derived: singulars are not, because many plurals have a singular of quite
    another sense ("aids"/"aid", "shares"/"share", "rights"/"right"). A keyword listed in the
    plural matches only the plural; list the singular too where it is meant.
    """
    if word[-1:].isalpha():
        return {word, _plural(word)}
    return {word}


def _with_possessives(forms: set[str]) -> set[str]:
    """``forms`` plus their possessive spellings once apostrophes are dropped ("partys")."""
    return forms | {form + "s" for form in forms if form[-1:].isalpha()}


def _keyword_tokens(keyword: str) -> list[str]:
    """The plain tokens of a keyword (one or two); raises ``ValueError`` otherwise."""
    tokens = re.findall(r"[A-Za-z0-9]+", keyword)
    if not 1 <= len(tokens) <= 2 or not keyword.isascii():
        raise ValueError(f"topic keyword must be one or two ASCII words: {keyword!r}")
    return tokens


def _add(table: dict[Any, dict[int, float]], key: Any, index: int, weight: float) -> None:
    entry = table.setdefault(key, {})
    # A form reached from two listed keywords of one topic keeps the larger weight.
    entry[index] = max(entry.get(index, 0.0), weight)


def _freeze(table: dict[Any, dict[int, float]]) -> dict[Any, _Hits]:
    return {key: tuple(sorted(hits.items())) for key, hits in table.items()}


@lru_cache(maxsize=1)
def _raw_data() -> dict[str, Any]:
    """The parsed ``topics.json`` (read once)."""
    text = resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Compile the keyword tables from ``topics.json`` (once, on first use)."""
    data = _raw_data()
    names: list[str] = []
    records: list[TopicRecord] = []
    unigrams: dict[str, dict[int, float]] = {}
    bigrams: dict[tuple[str, str], dict[int, float]] = {}
    cased: dict[str, dict[int, float]] = {}
    for index, topic in enumerate(data["topics"]):
        keywords: dict[str, float] = topic.get("keywords", {})
        cased_keywords: dict[str, float] = topic.get("cased_keywords", {})
        names.append(topic["name"])
        records.append(
            TopicRecord(
                name=topic["name"],
                code=topic["code"],
                iptc_label=topic["iptc_label"],
                description=topic["description"],
                keyword_count=len(keywords) + len(cased_keywords),
            )
        )
        for keyword, weight in keywords.items():
            tokens = _keyword_tokens(keyword.lower())
            lasts = _with_possessives(_forms(tokens[-1]))
            if len(tokens) == 1:
                for form in lasts:
                    _add(unigrams, form, index, float(weight))
            else:
                for first in _with_possessives({tokens[0]}):
                    for form in lasts:
                        _add(bigrams, (first, form), index, float(weight))
        for keyword, weight in cased_keywords.items():
            tokens = _keyword_tokens(keyword)
            if len(tokens) != 1:
                raise ValueError(f"case-sensitive topic keywords are single words: {keyword!r}")
            for form in _forms(tokens[0]):
                _add(cased, form, index, float(weight))
    cased_re = None
    if cased:
        ordered = sorted(cased, key=lambda form: (-len(form), form))
        alternatives = "|".join(re.escape(form) for form in ordered)
        cased_re = re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")
    return _Lexicon(
        names=tuple(names),
        records=tuple(records),
        unigrams=_freeze(unigrams),
        bigrams=_freeze(bigrams),
        cased=_freeze(cased),
        cased_re=cased_re,
        cased_triggers=frozenset(_with_possessives({form.lower() for form in cased})),
    )


def topic_names() -> list[str]:
    """All taxonomy display names, in IPTC code order."""
    return list(_lexicon().names)


def describe_topics() -> list[TopicRecord]:
    """The taxonomy records (name, IPTC code and label, description), in IPTC code order."""
    return list(_lexicon().records)


def _tokens(text: str) -> list[str]:
    """Lower-case tokens of ``text``: runs of ASCII letters and digits, apostrophes dropped."""
    if not text:
        return []
    lowered = text.lower()
    for apostrophe in _APOSTROPHES:
        if apostrophe in lowered:
            lowered = lowered.replace(apostrophe, "")
    return _TOKEN_RE.findall(lowered)


def _accumulate(
    text: str, tokens: list[str], lex: _Lexicon, scores: list[float], factor: float
) -> int:
    """Add ``factor`` × the keyword weights found in ``tokens`` (of ``text``) to ``scores``.

    Returns the number of tokens.
    """
    if not tokens:
        return 0
    unigrams = lex.unigrams
    for token in filter(unigrams.__contains__, tokens):
        for index, weight in unigrams[token]:
            scores[index] += weight * factor
    bigrams = lex.bigrams
    for pair in filter(bigrams.__contains__, zip(tokens, tokens[1:])):
        for index, weight in bigrams[pair]:
            scores[index] += weight * factor
    if lex.cased_re is not None and not lex.cased_triggers.isdisjoint(tokens):
        cased = lex.cased
        for form in lex.cased_re.findall(text):
            for index, weight in cased[form]:
                scores[index] += weight * factor
    return len(tokens)


def _score_tokens(
    title: str, body: str, title_tokens: list[str], body_tokens: list[str], lex: _Lexicon
) -> tuple[list[float], int]:
    scores = [0.0] * len(lex.names)
    length = TITLE_WEIGHT * _accumulate(title, title_tokens, lex, scores, float(TITLE_WEIGHT))
    length += _accumulate(body, body_tokens, lex, scores, 1.0)
    return scores, length


def _score(title: str, body: str, lex: _Lexicon) -> tuple[list[float], int]:
    return _score_tokens(title, body, _tokens(title), _tokens(body), lex)


def score_topics(title: str, body: str) -> tuple[dict[str, float], int]:
    """Raw weighted keyword scores per topic (only topics with a hit) and the weighted length.

    The weighted length is ``TITLE_WEIGHT`` × title tokens + body tokens. Meant for debugging
    and benchmarks; :func:`classify_topics` is the normal entry point.
    """
    lex = _lexicon()
    scores, length = _score(title or "", body or "", lex)
    return {lex.names[i]: s for i, s in enumerate(scores) if s > 0.0}, length


def _keyword_gate(scores: list[float], length: int) -> tuple[bool, float]:
    """Whether the keyword evidence suffices for a main topic, and points per 100 tokens."""
    per_100 = 100.0 / max(length, MIN_LENGTH)
    top = max(scores)
    return top >= MIN_EVIDENCE and top * per_100 >= MIN_DENSITY, per_100


def _secondary(
    scores: list[float], per_100: float, main: int, max_topics: int
) -> list[int]:
    """Topics after ``main``, in keyword score order, that reach the secondary thresholds."""
    floor = max(RELATIVE_THRESHOLD * max(scores), MIN_SECONDARY_DENSITY / per_100)
    ranked = sorted((i for i in range(len(scores)) if i != main), key=lambda i: (-scores[i], i))
    result: list[int] = []
    for index in ranked[: max_topics - 1]:
        if scores[index] < floor:
            break
        result.append(index)
    return result


def keyword_topics(title: str, body: str, *, max_topics: int = 3) -> list[str]:
    """The keyword-only classifier (no model): topics by keyword score, the main one first.

    The main topic is the top-scoring one if it has at least :data:`MIN_EVIDENCE` points and
    :data:`MIN_DENSITY` points per 100 tokens; further topics must reach
    :data:`RELATIVE_THRESHOLD` of its score and :data:`MIN_SECONDARY_DENSITY` points per 100
    tokens. Ties are broken by taxonomy (IPTC code) order. Kept as the documented baseline and
    for comparison; :func:`classify_topics` is the product's classifier.
    """
    if max_topics < 1 or not (title or body):
        return []
    lex = _lexicon()
    scores, length = _score(title or "", body or "", lex)
    ok, per_100 = _keyword_gate(scores, length)
    if not ok:
        return []
    main = min(range(len(scores)), key=lambda i: (-scores[i], i))
    return [lex.names[i] for i in [main, *_secondary(scores, per_100, main, max_topics)]]


# --------------------------------------------------------------------------------------------
# The statistical model and the combination
# --------------------------------------------------------------------------------------------

#: Group rule: another topic takes the lead from the model's topics only when its keyword score
#: is more than GROUP_ODDS × (the best keyword score among the model's topics +
#: GROUP_HEAD_START): odds of 3:2 for the topics the model was trained on ...
GROUP_ODDS = 1.5
#: ... and a head start worth one specific keyword (weight 3) in the title, so that a short
#: item needs more than a single cue to leave them.
GROUP_HEAD_START = 3.0 * TITLE_WEIGHT
#: Without enough keyword evidence (:data:`MIN_EVIDENCE`), the model alone assigns a topic only
#: when its log-odds margin over the runner-up reaches this many nats.
MODEL_MIN_MARGIN = 4.0

_MODEL_FILE = "data/topics_model.json"
_MODEL_FORMAT = "archive-topics-nb/1"
_DIGITS = frozenset("0123456789")
_LOG1P = tuple(math.log1p(n) for n in range(256))
# Bound of a model's token → feature cache (it is cleared when full).
_KEY_CACHE_SIZE = 200_000


def fold_token(token: str) -> str:
    """Light plural folding for model features: "parties" → "party", "shares" → "share".

    Drops a final "s" (not "ss", "us", "is"; tokens of more than three letters) and turns a
    final "ies" into "y" (more than four letters). Possessives arrive as "-s" forms too, since
    apostrophes are dropped ("party's" → "partys" → "party").
    """
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token[-1] == "s" and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _feature_key(token: str) -> str:
    """The model feature of ``token``: its folded form, or "" for tokens left out."""
    if len(token) < 2 or token[0] in _DIGITS:
        return ""
    return fold_token(token)


def _count_features(tokens: list[str], factor: int, counts: dict[str, int]) -> None:
    """Add the feature counts of ``tokens`` × ``factor`` to ``counts``."""
    for token, n in Counter(tokens).items():
        key = _feature_key(token)
        if key:
            counts[key] = counts.get(key, 0) + n * factor


def model_features(title: str, body: str) -> dict[str, int]:
    """Model feature counts of an article: folded word unigrams, title words counted
    :data:`TITLE_WEIGHT` times; one-letter tokens and tokens that start with a digit (numbers,
    amounts such as "10bn", ordinals, times) are left out.

    The training script uses this very function, so training and classification agree.
    """
    counts: dict[str, int] = {}
    _count_features(_tokens(title or ""), TITLE_WEIGHT, counts)
    _count_features(_tokens(body or ""), 1, counts)
    return counts


@dataclass(frozen=True, eq=False)
class TopicModel:
    """A multinomial Naive Bayes model over a few topics (see ``docs/topics.md``).

    ``topics``: the display names of the topics it decides between (a subset of the taxonomy,
    in IPTC code order); ``prior``: log prior per topic; ``weights``: word → per-topic
    log-probability of the word, centred per word (only differences between topics matter),
    as integers in units of 1/``scale``; ``keyword_weight``: the factor γ of the keyword term;
    ``evidence_cap``: the tempering cap K (below); ``meta``: provenance, licence and training
    settings from the data file.

    The score of topic *c* for an article is ``prior[c] + k · Σ_w log(1 + n_w) ·
    weights[w][c] / scale + γ · log(1 + keyword score of c)``, where ``n_w`` is the
    title-weighted count of word ``w`` (:func:`model_features`; words outside the vocabulary
    are ignored) and ``k = min(1, evidence_cap / Σ_w log(1 + n_w))`` tempers long texts.
    """

    topics: tuple[str, ...]
    prior: tuple[float, ...]
    weights: dict[str, list[int]]
    scale: float
    keyword_weight: float
    evidence_cap: float
    meta: dict[str, Any]
    _keys: _FeatureKeys = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_keys", _FeatureKeys(self.weights))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TopicModel:
        """Build a model from the JSON structure written by ``scripts/train_topics.py``."""
        if data.get("format") != _MODEL_FORMAT:
            raise ValueError(f"not a topic model of format {_MODEL_FORMAT}: {data.get('format')!r}")
        topics = tuple(data["topics"])
        width = len(topics)
        scale = float(data["scale"])
        prior = tuple(v / scale for v in data["prior"])
        if width < 2 or len(prior) != width or len(set(topics)) != width:
            raise ValueError("topic model: need two or more distinct topics, one prior each")
        unknown = set(topics) - set(_lexicon().names)
        if unknown:
            raise ValueError(f"topic model: topics not in the taxonomy: {sorted(unknown)}")
        weights: dict[str, list[int]] = data["weights"]
        if any(len(row) != width for row in weights.values()):
            raise ValueError("topic model: a word has the wrong number of weights")
        meta = {k: v for k, v in data.items() if k not in ("weights", "prior")}
        return cls(topics, prior, weights, scale, float(data["keyword_weight"]),
                   float(data["evidence_cap"]), meta)

    @property
    def vocabulary_size(self) -> int:
        return len(self.weights)

    def weights_of(self, word: str) -> tuple[float, ...] | None:
        """The per-topic weights of ``word`` (already folded), or ``None`` if unknown."""
        row = self.weights.get(word)
        return None if row is None else tuple(v / self.scale for v in row)

    def features(self, title_tokens: list[str], body_tokens: list[str]) -> dict[str, int]:
        """:func:`model_features` of the tokens, restricted to this model's vocabulary."""
        keys = self._keys
        if len(keys) >= _KEY_CACHE_SIZE:
            keys.clear()
        counts = Counter(map(keys.__getitem__, body_tokens))
        if title_tokens:
            for key, n in Counter(map(keys.__getitem__, title_tokens)).items():
                counts[key] += n * TITLE_WEIGHT
        counts.pop("", None)
        return counts

    def scores(self, features: dict[str, int], keyword_scores: list[float]) -> list[float]:
        """The model's score (log-odds scale) for each of :attr:`topics`.

        ``features`` as from :func:`model_features` (words outside the vocabulary are
        skipped); ``keyword_scores``: the keyword scores of :attr:`topics`, in the same order.
        """
        weights = self.weights
        words = [word for word in features if word in weights]
        values = [_LOG1P[n] if n < len(_LOG1P) else math.log1p(n)
                  for n in map(features.__getitem__, words)]
        totals = list(self.prior)
        if words:
            # Naive Bayes counts every word as independent evidence, which overstates the
            # evidence of long texts: the word term is scaled down to at most
            # ``evidence_cap`` words' worth (sum of log(1 + count)).
            factor = min(1.0, self.evidence_cap / sum(values)) / self.scale
            # Column-wise over the words' integer weights, in C (zip, map, sum).
            columns = zip(*map(weights.__getitem__, words))
            for c, column in enumerate(columns):
                totals[c] += factor * sum(map(mul, values, column))
        gamma = self.keyword_weight
        if gamma:
            for c, keyword in enumerate(keyword_scores):
                totals[c] += gamma * math.log1p(keyword)
        return totals


class _FeatureKeys(dict[str, str]):
    """Token → model feature in one model's vocabulary ("" for any other token), filled on
    demand; bounded by :data:`_KEY_CACHE_SIZE` (cleared when full)."""

    def __init__(self, vocabulary: dict[str, Any]) -> None:
        super().__init__()
        self.vocabulary = vocabulary

    def __missing__(self, token: str) -> str:
        key = _feature_key(token)
        if key not in self.vocabulary:
            key = ""
        self[token] = key
        return key


@lru_cache(maxsize=1)
def load_model() -> TopicModel:
    """The shipped topic model (``data/topics_model.json``), read once on first use."""
    text = resources.files(_DATA_PACKAGE).joinpath(_MODEL_FILE).read_text(encoding="utf-8")
    # Parsing creates some 12,000 small lists; pausing the cyclic garbage collector meanwhile
    # keeps the load fast in a process that already holds many objects.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return TopicModel.from_dict(json.loads(text))
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=16)
def _covered(model: TopicModel) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Taxonomy indices of the model's topics, and of all the other topics."""
    names = _lexicon().names
    covered = tuple(names.index(name) for name in model.topics)
    return covered, tuple(i for i in range(len(names)) if i not in covered)


@dataclass(frozen=True)
class TopicDecision:
    """How :func:`classify_topics` decided (for debugging, benchmarks and documentation).

    ``topics``: the result; ``keyword_scores``: raw keyword score of each topic with a hit;
    ``model_scores``: the model's score for each of its topics; ``model_choice``: the model's
    best topic; ``model_margin``: its lead over the runner-up (nats); ``group_topic``: the best
    topic (by keyword score) outside the model's; ``group_ratio``: its keyword score divided by
    (the best keyword score among the model's topics + :data:`GROUP_HEAD_START`); ``reason``:
    which rule chose the main topic: ``"model"``, ``"keywords"`` (the group rule) or
    ``"none"`` (no topic).
    """

    topics: list[str]
    keyword_scores: dict[str, float]
    model_scores: dict[str, float]
    model_choice: str
    model_margin: float
    group_topic: str | None
    group_ratio: float
    reason: str


def _decide(title: str, body: str, max_topics: int, model: TopicModel | None,
            explain: bool = False) -> tuple[list[str], TopicDecision | None]:
    lex = _lexicon()
    model = model if model is not None else load_model()
    covered, others = _covered(model)
    title_tokens = _tokens(title)
    body_tokens = _tokens(body)
    scores, length = _score_tokens(title, body, title_tokens, body_tokens, lex)
    keyword_ok, per_100 = _keyword_gate(scores, length)

    z = model.scores(model.features(title_tokens, body_tokens), [scores[i] for i in covered])
    order = sorted(range(len(covered)), key=lambda j: (-z[j], j))
    margin = z[order[0]] - z[order[1]]

    group = min(others, key=lambda i: (-scores[i], i)) if others else None
    ratio = 0.0
    if group is not None:
        ratio = scores[group] / (max(scores[i] for i in covered) + GROUP_HEAD_START)

    result: list[int] = []
    reason = "none"
    if max_topics >= 1 and (keyword_ok or margin >= MODEL_MIN_MARGIN):
        if keyword_ok and group is not None and ratio > GROUP_ODDS:
            main, reason = group, "keywords"
        else:
            main, reason = covered[order[0]], "model"
        result = [main]
        if keyword_ok:
            result += _secondary(scores, per_100, main, max_topics)
    names = [lex.names[i] for i in result]
    if not explain:
        return names, None
    return names, TopicDecision(
        topics=names,
        keyword_scores={lex.names[i]: s for i, s in enumerate(scores) if s > 0.0},
        model_scores={name: z[j] for j, name in enumerate(model.topics)},
        model_choice=model.topics[order[0]],
        model_margin=margin,
        group_topic=lex.names[group] if group is not None else None,
        group_ratio=ratio,
        reason=reason,
    )


def explain_topics(title: str, body: str, *, max_topics: int = 3,
                   model: TopicModel | None = None) -> TopicDecision:
    """:func:`classify_topics` with the evidence behind its answer (see :class:`TopicDecision`)."""
    decision = _decide(title or "", body or "", max_topics, model, explain=True)[1]
    assert decision is not None
    return decision


def classify_topics(title: str, body: str, *, max_topics: int = 3,
                    model: TopicModel | None = None) -> list[str]:
    """The display names of the topics an article is mostly about, the main topic first.

    1. Keyword scores for all 17 topics, and the model's scores for its topics (by default the
       shipped :func:`load_model`; pass ``model`` to use another, e.g. one trained in a
       cross-validation fold).
    2. No topic unless the keyword evidence reaches :data:`MIN_EVIDENCE` and
       :data:`MIN_DENSITY`, or the model's margin reaches :data:`MODEL_MIN_MARGIN`.
    3. Main topic (group rule): the best topic outside the model's if its keyword score exceeds
       :data:`GROUP_ODDS` × (the best keyword score among the model's topics +
       :data:`GROUP_HEAD_START`) and the keyword evidence passed step 2; otherwise the model's
       best topic.
    4. Further topics in keyword score order while they reach :data:`RELATIVE_THRESHOLD` of the
       highest keyword score and :data:`MIN_SECONDARY_DENSITY` points per 100 tokens (none
       when the keyword evidence did not pass step 2), up to ``max_topics``.

    Ties are broken by taxonomy (IPTC code) order.
    """
    if max_topics < 1 or not (title or body):
        return []
    return _decide(title or "", body or "", max_topics, model)[0]
