"""Synthetic rows made from one random stream, so a seed always gives the same catalogue: shares
of each kind, access, format and link state close to the shipped catalogue's, terms from the
vocabularies in the database, titles and summaries from resources.synthetic.words."""

import random
from datetime import date, timedelta

from django.utils.text import slugify

from resources.models import (
    LinkStatus,
    Organisation,
    Resource,
    ResourceAccess,
    ResourceFormat,
    ResourceKind,
    ResourceStatus,
    title_sort_key,
)
from resources.synthetic.words import (
    ACTIONS,
    AUDIENCES,
    DOCUMENT_NOUNS,
    DOCUMENTS,
    GROUPS,
    INEQUALITY_KINDS,
    KEYWORDS,
    MINOR_WORDS,
    ORGANISATION_PATTERNS,
    ORGANISATION_PLACES,
    PLACES,
    SERVICES,
    SUBTITLES,
    SUMMARY_CLOSINGS,
    SUMMARY_MIDDLES,
    SUMMARY_OPENINGS,
    THEMES,
)
from resources.url_normalisation import normalise_url

SYNTHETIC_URL = "https://example.org/synthetic/"
SYNTHETIC_ORGANISATION_URL = f"{SYNTHETIC_URL}organisations/"

# Shares of each kind, in percent, close to the shipped catalogue's.
KIND_WEIGHTS = {
    ResourceKind.GUIDANCE: 24,
    ResourceKind.WEBSITE: 12,
    ResourceKind.PUBLICATION: 12,
    ResourceKind.REPORT: 11,
    ResourceKind.E_LEARNING: 7,
    ResourceKind.DATA_TOOL: 6,
    ResourceKind.FRAMEWORK: 5,
    ResourceKind.COLLECTION: 5,
    ResourceKind.BLOG: 4,
    ResourceKind.STRATEGY: 2.5,
    ResourceKind.STATISTICS: 2,
    ResourceKind.NETWORK: 2,
    ResourceKind.TOOL: 1.5,
    ResourceKind.WEBINAR: 1.5,
    ResourceKind.RESEARCH: 1,
    ResourceKind.COURSE: 1,
    ResourceKind.CASE_STUDY: 1,
    ResourceKind.PODCAST: 0.5,
    ResourceKind.LEGISLATION: 0.5,
    ResourceKind.SERVICE: 0.5,
}
ACCESS_WEIGHTS = {
    ResourceAccess.FREE: 80,
    ResourceAccess.REGISTRATION: 8,
    ResourceAccess.NOT_RECORDED: 9,
    ResourceAccess.NHS_LOGIN: 2,
    ResourceAccess.PAID: 1,
}
FORMAT_BY_KIND = {
    ResourceKind.DATA_TOOL: ResourceFormat.INTERACTIVE,
    ResourceKind.TOOL: ResourceFormat.INTERACTIVE,
    ResourceKind.E_LEARNING: ResourceFormat.INTERACTIVE,
    ResourceKind.COURSE: ResourceFormat.INTERACTIVE,
    ResourceKind.WEBINAR: ResourceFormat.VIDEO,
    ResourceKind.PODCAST: ResourceFormat.AUDIO,
}
LINK_STATUS_WEIGHTS = {
    LinkStatus.OK: 80,
    LinkStatus.UNCHECKED: 10,
    LinkStatus.REDIRECTED: 6,
    LinkStatus.BROKEN: 3,
    LinkStatus.NEEDS_LOGIN: 1,
}
# Chance that a resource carries a term of each vocabulary; audience and topic always do.
TERM_CHANCE = {
    "domain": 0.7,
    "characteristic": 0.3,
    "group": 0.1,
    "core20plus5": 0.1,
    "action": 0.25,
}
TERM_COUNTS = {"audience": (1, 2), "topic": (1, 3)}
OTHER_VOCABULARY_CHANCE = 0.2
KEYWORD_COUNT_WEIGHTS = [25, 30, 25, 12, 8]  # 0, 1, 2, 3 or 4 keywords
PARTNER_CHANCE = 0.1
UNDATED_SHARE = 0.2
FIRST_YEAR, LAST_YEAR = 1998, 2026
CREATED_OVER_DAYS = 3 * 365


class CatalogueGenerator:
    """Makes unsaved rows from one random stream, so a seed always gives the same catalogue."""

    def __init__(self, *, seed, vocabularies):
        self.rng = random.Random(seed)
        self.vocabularies = []
        for vocabulary in vocabularies:
            terms = [term.pk for term in vocabulary.terms.all()]
            if terms:
                # Earlier terms are used more, as in a real catalogue.
                weights = list(accumulate(1 / (i + 1) ** 0.7 for i in range(len(terms))))
                self.vocabularies.append((vocabulary.slug, terms, weights))
        self.kinds, self.kind_weights = cumulative(KIND_WEIGHTS)
        self.accesses, self.access_weights = cumulative(ACCESS_WEIGHTS)
        self.link_statuses, self.link_status_weights = cumulative(LINK_STATUS_WEIGHTS)
        self.years = list(range(FIRST_YEAR, LAST_YEAR + 1))
        self.year_weights = list(accumulate((year - FIRST_YEAR + 1) ** 2 for year in self.years))
        self.keyword_counts = list(accumulate(KEYWORD_COUNT_WEIGHTS))
        self.publishers, self.publisher_weights = [], []

    def set_publishers(self, pks):
        # A few organisations publish a lot, most publish a little (Zipf-like).
        shuffled = list(pks)
        self.rng.shuffle(shuffled)
        self.publishers = shuffled
        self.publisher_weights = list(accumulate(1 / (i + 1) for i in range(len(shuffled))))

    def pick(self, values, cumulative_weights):
        return self.rng.choices(values, cum_weights=cumulative_weights)[0]

    def organisations(self, number):
        combinations = [
            (place, pattern, kind)
            for place in ORGANISATION_PLACES
            for pattern, kind in ORGANISATION_PATTERNS
        ]
        self.rng.shuffle(combinations)
        for index in range(number):
            place, pattern, kind = combinations[index % len(combinations)]
            name = pattern.format(place=place)
            if index >= len(combinations):
                name = f"{name} {index // len(combinations) + 1}"
            slug = slugify(name)[:190]
            yield Organisation(
                name=name,
                slug=slug,
                acronym=acronym(name),
                kind=kind,
                website=f"{SYNTHETIC_ORGANISATION_URL}{slug}",
                description=f"Synthetic organisation for testing at scale ({name}).",
            )

    def resource(self, number, *, now):
        rng = self.rng
        kind = self.pick(self.kinds, self.kind_weights)
        title = self.title()
        url = f"{SYNTHETIC_URL}{number}"
        year = None
        if rng.random() >= UNDATED_SHARE:
            year = self.pick(self.years, self.year_weights)
        last_updated_on = None
        if year is not None and rng.random() < 0.3:
            last_updated_on = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            last_updated_on = min(last_updated_on, now.date())
        created_at = now - timedelta(seconds=rng.randrange(CREATED_OVER_DAYS * 86400))
        updated_at = min(now, created_at + timedelta(days=rng.randrange(0, 60)))
        link_status = self.pick(self.link_statuses, self.link_status_weights)
        resource = Resource(
            title=title,
            sort_title=title_sort_key(title),
            slug=f"{slugify(title)[:280].rstrip('-')}-{number}",
            url=url,
            normalised_url=normalise_url(url),
            kind=kind,
            summary=self.summary(kind),
            publisher_id=self.pick(self.publishers, self.publisher_weights),
            year_published=year,
            last_updated_on=last_updated_on,
            access=self.pick(self.accesses, self.access_weights),
            format=self.format(kind),
            status=ResourceStatus.PUBLISHED,
            curator_notes="Synthetic resource made by generate_catalogue.",
            created_at=created_at,
            updated_at=updated_at,
            published_at=created_at,
            link_status=link_status,
            link_checked_at=None if link_status == LinkStatus.UNCHECKED else updated_at,
        )
        partners = []
        if rng.random() < PARTNER_CHANCE and len(self.publishers) > 1:
            partner = self.pick(self.publishers, self.publisher_weights)
            if partner != resource.publisher_id:
                partners.append(partner)
        keyword_count = self.pick(range(len(KEYWORD_COUNT_WEIGHTS)), self.keyword_counts)
        return {
            "number": number,
            "resource": resource,
            "terms": self.terms(),
            "keywords": rng.sample(KEYWORDS, keyword_count),
            "partners": partners,
        }

    def terms(self):
        rng = self.rng
        chosen = set()
        for slug, terms, weights in self.vocabularies:
            if slug in TERM_COUNTS:
                low, high = TERM_COUNTS[slug]
                wanted = rng.randint(low, min(high, len(terms)))
            else:
                chance = TERM_CHANCE.get(slug, OTHER_VOCABULARY_CHANCE)
                wanted = 1 if rng.random() < chance else 0
            picked = set()
            for _ in range(wanted * 3):  # weighted picks may repeat; a few tries suffice
                if len(picked) == wanted:
                    break
                picked.add(self.pick(terms, weights))
            chosen |= picked
        if not chosen:
            _, terms, weights = rng.choice(self.vocabularies)
            chosen.add(self.pick(terms, weights))
        return sorted(chosen)

    def fill(self, template, **extra):
        """The template with each {slot} filled at random; only the slots it uses are drawn."""
        return template.format_map(Slots(self.rng, extra))

    def title(self):
        rng = self.rng
        while True:
            shape = rng.randrange(7)
            if shape == 0:
                main = (
                    f"{rng.choice(ACTIONS)} {rng.choice(INEQUALITY_KINDS)} "
                    f"inequalities in {rng.choice(SERVICES)}"
                )
            elif shape == 1:
                main = f"{rng.choice(GROUPS)} and {rng.choice(THEMES)}"
            elif shape == 2:
                main = f"Health equity audit of {rng.choice(SERVICES)}"
            elif shape == 3:
                main = self.fill("{theme} in {place}")
            elif shape == 4:
                main = f"{rng.choice(DOCUMENTS)} {rng.choice(THEMES)}"
            elif shape == 5:
                main = f"{rng.choice(ACTIONS)} {rng.choice(THEMES)}"
            else:
                main = self.fill("{service} for {group}")
            title = main
            if rng.random() < 0.6:
                title = f"{main}: {self.fill(rng.choice(SUBTITLES))}"
            title = title[0].upper() + title[1:]
            if 4 <= len(title.split()) <= 14:
                return title

    def summary(self, kind):
        rng = self.rng
        noun = DOCUMENT_NOUNS[kind]
        sentences = [self.fill(rng.choice(SUMMARY_OPENINGS), noun=noun)]
        for middle in rng.sample(SUMMARY_MIDDLES, 3):
            if word_count(sentences) >= 20 and rng.random() < 0.4:
                break
            sentence = self.fill(middle)
            if word_count([*sentences, sentence]) > 55:
                break
            sentences.append(sentence)
        closing = rng.choice(SUMMARY_CLOSINGS)
        if word_count(sentences) < 20 or (
            rng.random() < 0.5 and word_count([*sentences, closing]) <= 60
        ):
            sentences.append(closing)
        return " ".join(sentences)

    def format(self, kind):
        rng = self.rng
        if rng.random() < 0.2:
            return ResourceFormat.NOT_RECORDED
        if kind in FORMAT_BY_KIND:
            return FORMAT_BY_KIND[kind]
        if kind in {
            ResourceKind.REPORT,
            ResourceKind.PUBLICATION,
            ResourceKind.RESEARCH,
        }:
            return ResourceFormat.PDF if rng.random() < 0.4 else ResourceFormat.WEB_PAGE
        return ResourceFormat.WEB_PAGE


class Slots(dict):
    """Draws a value for a template slot the first time the template asks for it."""

    CHOICES = {
        "audience": AUDIENCES,
        "place": PLACES,
        "service": SERVICES,
        "theme": THEMES,
        "group": GROUPS,
    }

    def __init__(self, rng, values):
        super().__init__(values)
        self.rng = rng

    def __missing__(self, slot):
        if slot == "year":
            value = self.rng.randint(2015, 2026)
        elif slot == "theme2":
            value = self.rng.choice([theme for theme in THEMES if theme != self.get("theme")])
        else:
            value = self.rng.choice(self.CHOICES[slot])
        self[slot] = value
        return value


def accumulate(values):
    total = 0
    for value in values:
        total += value
        yield total


def cumulative(weights):
    return list(weights), list(accumulate(weights.values()))


def word_count(sentences):
    return sum(len(sentence.split()) for sentence in sentences)


def acronym(name):
    letters = "".join(
        word[0] for word in name.split() if word.lower() not in MINOR_WORDS and word[0].isalpha()
    )
    return letters.upper()[:30]
