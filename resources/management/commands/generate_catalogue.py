"""Synthetic resources at scale, for measuring the finder and search against a big catalogue.

The generated rows use the vocabularies and terms already in the database (load the shipped
catalogue first), are published, and are recognisable by their web address
(https://example.org/synthetic/<n>), so `--delete` can take them out again. Rows go in with
bulk_create, which skips Resource.save() and the search signals: the command fills in
`normalised_url` and `slug` itself and indexes the new rows and recounts the catalogue afterwards
(resources/management/bulk.py).
"""

import random
import time
from contextlib import contextmanager
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from resources.links import normalise_url
from resources.management.bulk import index_and_recount
from resources.models import (
    LinkStatus,
    Organisation,
    OrganisationKind,
    Resource,
    ResourceAccess,
    ResourceFormat,
    ResourceKind,
    ResourceStatus,
)
from taxonomy.models import Vocabulary

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

KEYWORDS = [
    "BAME",
    "HEAT",
    "IMD",
    "PCN",
    "VCSE",
    "MECC",
    "JSNA",
    "Core20PLUS5",
    "Core20",
    "ICS",
    "ICB",
    "PHM",
    "SMI",
    "COPD",
    "CVD",
    "LTC",
    "EDI",
    "WRES",
    "WDES",
    "HIA",
    "EIA",
    "PSED",
    "ACEs",
    "LGBTQ+",
    "GRT",
    "OHID",
    "UKHSA",
    "NICE",
    "QOF",
    "ONS",
    "Fingertips",
    "Marmot",
    "All Our Health",
    "proportionate universalism",
    "social determinants",
    "wider determinants",
    "health equity",
    "health equity audit",
    "health literacy",
    "digital exclusion",
    "fuel poverty",
    "food insecurity",
    "anchor institutions",
    "inclusion health",
    "levelling up",
    "healthy life expectancy",
    "deprivation",
    "ethnicity",
    "learning disability",
    "homelessness",
    "asylum seekers",
    "coastal communities",
    "rurality",
    "population health",
    "vaccination uptake",
    "screening",
    "hypertension",
    "smoking cessation",
    "obesity",
    "child poverty",
    "social prescribing",
    "community-centred",
    "co-production",
]

ACTIONS = [
    "Reducing",
    "Tackling",
    "Addressing",
    "Understanding",
    "Measuring",
    "Narrowing",
    "Monitoring",
    "Responding to",
]
INEQUALITY_KINDS = [
    "health",
    "ethnic",
    "socio-economic",
    "regional",
    "gender",
    "age-related",
    "disability-related",
    "rural and coastal",
    "healthcare",
]
SERVICES = [
    "hypertension case-finding",
    "cancer screening uptake",
    "early cancer diagnosis",
    "maternity care",
    "childhood vaccination",
    "adult mental health services",
    "diabetes care",
    "COPD diagnosis",
    "cardiovascular disease prevention",
    "smoking cessation services",
    "oral health",
    "access to general practice",
    "emergency admissions",
    "long COVID services",
    "dementia diagnosis",
    "annual health checks for people with a learning disability",
    "physical health checks for people with severe mental illness",
    "weight management services",
    "alcohol treatment",
    "digital access to primary care",
    "end of life care",
    "community pharmacy services",
    "musculoskeletal services",
    "elective waiting lists",
]
THEMES = [
    "health inequalities",
    "the wider determinants of health",
    "digital inclusion",
    "health literacy",
    "population health management",
    "community-centred approaches",
    "social prescribing",
    "fuel poverty and health",
    "housing and health",
    "employment and health",
    "food insecurity",
    "child poverty",
    "health equity",
    "anchor institutions",
    "the Core20PLUS5 approach",
    "place-based approaches",
    "cultural competence",
    "co-production with communities",
    "the public sector equality duty",
    "making every contact count",
]
GROUPS = [
    "Gypsy, Roma and Traveller communities",
    "people experiencing homelessness",
    "refugees and asylum seekers",
    "people with a learning disability",
    "autistic people",
    "ethnic minority communities",
    "older people living alone",
    "young carers",
    "people in contact with the justice system",
    "sex workers",
    "LGBTQ+ people",
    "people living in deprived areas",
    "coastal communities",
    "rural communities",
    "disabled people",
    "pregnant women from deprived areas",
]
AUDIENCES = [
    "primary care networks",
    "integrated care boards",
    "commissioners",
    "frontline staff",
    "local authorities",
    "VCSE partners",
    "health visitors",
    "community pharmacists",
    "practice nurses",
    "system leaders",
    "public health teams",
    "allied health professionals",
    "social care workers",
    "NHS trust boards",
    "library and knowledge staff",
]
PLACES = [
    "the North East",
    "the North West",
    "Yorkshire and the Humber",
    "the Midlands",
    "the East of England",
    "London",
    "the South West",
    "coastal towns",
    "rural areas",
    "inner-city neighbourhoods",
    "Core20 neighbourhoods",
    "ex-industrial towns",
    "England",
    "the four nations",
]
SUBTITLES = [
    "a guide for {audience}",
    "a toolkit for {audience}",
    "a briefing for {audience}",
    "lessons from {place}",
    "case studies from {place}",
    "an evidence review",
    "a practical guide",
    "what works",
    "a framework for action",
    "data pack",
    "{year} update",
    "findings and recommendations",
    "a rapid review",
]
DOCUMENTS = [
    "Briefing on",
    "Guidance on",
    "A toolkit for",
    "Data profile:",
    "Evidence review of",
    "E-learning on",
    "Webinar:",
    "Framework for",
    "Annual report on",
    "Practical guide to",
]
DOCUMENT_NOUNS = {
    ResourceKind.GUIDANCE: "guidance",
    ResourceKind.REPORT: "report",
    ResourceKind.PUBLICATION: "publication",
    ResourceKind.FRAMEWORK: "framework",
    ResourceKind.STRATEGY: "strategy",
    ResourceKind.TOOL: "tool",
    ResourceKind.DATA_TOOL: "data tool",
    ResourceKind.STATISTICS: "statistical release",
    ResourceKind.E_LEARNING: "e-learning session",
    ResourceKind.COURSE: "course",
    ResourceKind.WEBINAR: "webinar",
    ResourceKind.PODCAST: "podcast",
    ResourceKind.NETWORK: "network",
    ResourceKind.COLLECTION: "collection",
    ResourceKind.WEBSITE: "website",
    ResourceKind.CASE_STUDY: "set of case studies",
    ResourceKind.BLOG: "blog post",
    ResourceKind.LEGISLATION: "legislation",
    ResourceKind.RESEARCH: "research article",
    ResourceKind.SERVICE: "service",
}
SUMMARY_OPENINGS = [
    "This {noun} explains how {audience} can reduce inequalities in {service}.",
    "This {noun} sets out practical steps on {theme} for {group}.",
    "A {noun} for {audience} on {theme}, with examples from {place}.",
    "This {noun} brings together evidence on {theme} and its effect on {group}.",
    "This {noun} shows how {audience} can use data to find and close gaps in {service}.",
]
SUMMARY_MIDDLES = [
    "It draws on national data, including the Index of Multiple Deprivation, and on local experience.",
    "It covers {theme}, {theme2} and the role of {audience}.",
    "It includes a health equity audit checklist and a template action plan.",
    "Case studies from {place} show what worked and what did not.",
    "It explains how to involve {group} in designing and reviewing services.",
    "Each section ends with questions for {audience} to discuss with partners.",
    "It links to indicators on Fingertips so teams can compare their area with similar places.",
]
SUMMARY_CLOSINGS = [
    "Free to use; updated as new evidence appears.",
    "Useful for planning, commissioning and quality improvement.",
    "Suitable for staff new to health inequalities as well as experienced leads.",
    "Takes about twenty minutes to read.",
    "Written in plain English, with a glossary of common acronyms.",
]
ORGANISATION_PLACES = [
    "Ashcombe",
    "Bramley Vale",
    "Caldermouth",
    "Dunmore",
    "Eastmoor",
    "Fenwick",
    "Greyhaven",
    "Hartwell",
    "Ivybridge Downs",
    "Kelsworth",
    "Langford",
    "Marshfield",
    "Northfield",
    "Oakridge",
    "Pendlebury Cross",
    "Queensbury Vale",
    "Ravensmoor",
    "Saltmarsh",
    "Thornbury Heath",
    "Upperton",
    "Westbrook",
    "Whitcombe",
    "Yarrowby",
    "Ashworth",
    "Brackenfield",
    "Coldharbour",
    "Deepdale",
    "Elmstead",
    "Foxhollow",
    "Glenmoor",
    "Highcliffe Bay",
    "Kingsmere",
    "Lowmoor",
    "Millbrook",
    "Newhaven Sands",
    "Oldcastle",
    "Redwater",
    "Stonebridge",
    "Tideford",
    "Wexcombe",
]
ORGANISATION_PATTERNS = [
    ("{place} Integrated Care Board", OrganisationKind.NHS),
    ("{place} Primary Care Network", OrganisationKind.NHS),
    ("{place} NHS Foundation Trust", OrganisationKind.NHS),
    ("{place} Community Health Services", OrganisationKind.NHS),
    ("{place} Borough Council", OrganisationKind.LOCAL),
    ("{place} Public Health Team", OrganisationKind.LOCAL),
    ("{place} Health and Care Partnership", OrganisationKind.LOCAL),
    ("{place} Health Equity Trust", OrganisationKind.CHARITY),
    ("{place} VCSE Alliance", OrganisationKind.CHARITY),
    ("{place} Council for Voluntary Service", OrganisationKind.CHARITY),
    ("Healthwatch {place}", OrganisationKind.OTHER),
    ("{place} Local Medical Committee", OrganisationKind.PROFESSIONAL),
    ("{place} Institute of Population Health", OrganisationKind.ACADEMIC),
    ("University of {place} Centre for Health Inequalities", OrganisationKind.ACADEMIC),
]
MINOR_WORDS = {"of", "for", "and", "the", "nhs"}


class Command(BaseCommand):
    help = (
        "Add synthetic published resources (and organisations) to the database, using the "
        "vocabularies already in it, to measure the site at scale. Load the shipped catalogue "
        "first. --delete removes them again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--resources", type=int, default=0, help="How many resources to add.")
        parser.add_argument(
            "--organisations",
            type=int,
            default=None,
            help="How many organisations to add (default: the larger of 50 and resources/200).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same catalogue.")
        parser.add_argument("--batch", type=int, default=5000, help="Rows per bulk insert.")
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Remove every synthetic resource (and organisation) instead.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask before deleting.",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        if options["delete"]:
            self.delete(interactive=options["interactive"])
            return
        count = options["resources"]
        if count < 1:
            raise CommandError("Say how many resources to add, e.g. --resources 1000.")
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        organisations = options["organisations"]
        if organisations is None:
            organisations = max(50, count // 200)
        self.generate(
            count=count,
            organisations=organisations,
            seed=options["seed"],
            batch=options["batch"],
        )

    def say(self, message, style=None):
        if self.verbosity >= 1:
            self.stdout.write(style(message) if style else message)

    def generate(self, *, count, organisations, seed, batch):
        vocabularies = list(Vocabulary.objects.prefetch_related("terms"))
        if not vocabularies:
            raise CommandError(
                "There are no vocabularies to tag resources with: load the shipped catalogue "
                "first (`manage.py load_catalogue`), then run this again."
            )
        if not any(vocabulary.terms.all() for vocabulary in vocabularies):
            raise CommandError(
                "The vocabularies have no terms: load the shipped catalogue first "
                "(`manage.py load_catalogue`)."
            )
        started = time.perf_counter()
        generator = CatalogueGenerator(seed=seed, vocabularies=vocabularies)
        new_organisations = self.add_organisations(generator, organisations)
        publishers = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
        if not publishers:
            raise CommandError(
                "There are no organisations to publish resources: add some with "
                "--organisations or load the shipped catalogue first."
            )
        generator.set_publishers(publishers)
        first_number = next_synthetic_number()
        taken_slugs = set(Resource.objects.values_list("slug", flat=True))
        tags = keyword_tags()
        content_type = ContentType.objects.get_for_model(Resource)
        now = timezone.now()

        made = {"resources": 0, "terms": 0, "keywords": 0, "partners": 0}
        first_pk = None
        for start in range(0, count, batch):
            size = min(batch, count - start)
            records = [
                generator.resource(first_number + start + offset, now=now) for offset in range(size)
            ]
            for record in records:
                resource = record["resource"]
                if resource.slug in taken_slugs:
                    resource.slug = f"{resource.slug}-{record['number']}"
                taken_slugs.add(resource.slug)
            pks = self.insert(records, tags=tags, content_type=content_type, made=made)
            first_pk = pks[0] if first_pk is None else first_pk
            self.say(
                f"{made['resources']:,} / {count:,} resources "
                f"({time.perf_counter() - started:.1f} s)"
            )
        elapsed = time.perf_counter() - started
        self.say(
            f"Added {made['resources']:,} synthetic resources with "
            f"{made['terms']:,} term links, {made['keywords']:,} keywords and "
            f"{made['partners']:,} partners, and {new_organisations:,} organisations, "
            f"in {elapsed:.1f} s ({made['resources'] / elapsed:,.0f} resources/s).",
            self.style.SUCCESS,
        )
        self.index(Resource.objects.filter(pk__gte=first_pk, url__startswith=SYNTHETIC_URL))

    def add_organisations(self, generator, number):
        if number < 1:
            return 0
        names = {name.lower() for name in Organisation.objects.values_list("name", flat=True)}
        slugs = set(Organisation.objects.values_list("slug", flat=True))
        new = []
        for organisation in generator.organisations(number):
            if organisation.name.lower() in names:
                continue  # made by an earlier run with the same seed: reuse it
            while organisation.slug in slugs:
                organisation.slug = f"{organisation.slug}-x"
            names.add(organisation.name.lower())
            slugs.add(organisation.slug)
            new.append(organisation)
        # bulk_create skips post_save, so no search reindex runs for organisations with no resources.
        Organisation.objects.bulk_create(new, batch_size=1000)
        return len(new)

    @transaction.atomic
    def insert(self, records, *, tags, content_type, made):
        resources = [record["resource"] for record in records]
        with explicit_timestamps(Resource, "created_at", "updated_at"):
            Resource.objects.bulk_create(resources)
        pks = [resource.pk for resource in resources]
        if None in pks:
            raise CommandError(
                "This database does not return the ids of bulk-inserted rows; use PostgreSQL "
                "or SQLite 3.35 or later."
            )
        ResourceTerm = Resource.terms.through
        ResourcePartner = Resource.partners.through
        term_rows = [
            ResourceTerm(resource_id=record["resource"].pk, term_id=term_pk)
            for record in records
            for term_pk in record["terms"]
        ]
        partner_rows = [
            ResourcePartner(resource_id=record["resource"].pk, organisation_id=pk)
            for record in records
            for pk in record["partners"]
        ]
        keyword_rows = [
            TaggedItem(
                tag_id=tags[keyword],
                content_type_id=content_type.pk,
                object_id=record["resource"].pk,
            )
            for record in records
            for keyword in record["keywords"]
        ]
        ResourceTerm.objects.bulk_create(term_rows, batch_size=10000)
        ResourcePartner.objects.bulk_create(partner_rows, batch_size=10000)
        TaggedItem.objects.bulk_create(keyword_rows, batch_size=10000)
        made["resources"] += len(resources)
        made["terms"] += len(term_rows)
        made["partners"] += len(partner_rows)
        made["keywords"] += len(keyword_rows)
        return pks

    def index(self, queryset):
        started = time.perf_counter()
        indexed = index_and_recount(queryset)
        elapsed = time.perf_counter() - started
        self.say(
            f"Indexed {indexed:,} resources for search and counted the catalogue in {elapsed:.1f} s.",
            self.style.SUCCESS,
        )

    def delete(self, *, interactive):
        resources = Resource.objects.filter(url__startswith=SYNTHETIC_URL)
        organisations = Organisation.objects.filter(website__startswith=SYNTHETIC_ORGANISATION_URL)
        count = resources.count()
        organisation_count = organisations.count()
        if not count and not organisation_count:
            self.say("There are no synthetic resources or organisations to delete.")
            return
        if interactive:
            answer = input(
                f"This deletes {count:,} synthetic resources and the synthetic organisations "
                f"no other resource uses (web addresses starting {SYNTHETIC_URL}). "
                "Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing deleted.")
        started = time.perf_counter()
        with transaction.atomic():
            ids = resources.values("pk")
            # Delete the link rows in single statements first, so the resources' own delete
            # has nothing left to gather row by row.
            TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Resource),
                object_id__in=ids,
            ).delete()
            Resource.terms.through.objects.filter(resource_id__in=ids).delete()
            Resource.partners.through.objects.filter(resource_id__in=ids).delete()
            resources.delete()
            deleted_organisations, _ = organisations.filter(
                resources__isnull=True, partner_resources__isnull=True
            ).delete()
        self.say(
            f"Deleted {count:,} synthetic resources and {deleted_organisations:,} organisations "
            f"in {time.perf_counter() - started:.1f} s.",
            self.style.SUCCESS,
        )


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


def next_synthetic_number():
    """One more than the highest <n> in the synthetic web addresses already present."""
    highest = 0
    for url in Resource.objects.filter(url__startswith=SYNTHETIC_URL).values_list("url", flat=True):
        tail = url.removeprefix(SYNTHETIC_URL).split("/")[0]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return highest + 1


def keyword_tags():
    """Tag ids for every keyword, creating the tags that do not exist yet."""
    tags = {}
    for name in KEYWORDS:
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag(name=name)
            tag.save()  # taggit makes a unique slug
        tags[name] = tag.pk
    return tags


@contextmanager
def explicit_timestamps(model, *names):
    """Let bulk_create write the given auto_now/auto_now_add fields as set on the instances.

    Spreading created_at over three years with an UPDATE afterwards would need one statement
    per row (or a CASE per batch), which is the slow part at 100,000 rows; switching the
    fields' automatic stamping off around the insert costs nothing. Only this command does it.
    """
    fields = [model._meta.get_field(name) for name in names]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add
