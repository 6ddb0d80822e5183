"""One address with or without "www." (issue 12): every resource's normalised address and cited
addresses are worked out again by the rule in resources/url_normalisation.py. Two resources that
turn out to share an address stop the migration, naming both, since the database keeps one
resource per address: change or remove one of them, then migrate again."""

from django.db import migrations

from resources.url_normalisation import address_lines, normalise_url


def renormalise(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    resources = list(Resource.objects.only("slug", "url", "cited_urls").order_by("pk"))
    by_address = {}
    for resource in resources:
        resource.normalised_url = normalise_url(resource.url)
        resource.normalised_cited_urls = address_lines(resource.cited_urls.splitlines())
        if resource.normalised_url:
            by_address.setdefault(resource.normalised_url, []).append(resource)
    shared = [group for group in by_address.values() if len(group) > 1]
    if shared:
        raise RuntimeError(
            "These resources are one web address written with and without “www.”, and the "
            "catalogue keeps one resource per address. Change or remove all but one of each "
            "group, then migrate again: "
            + "; ".join(
                " and ".join(f"{resource.slug} ({resource.url})" for resource in group)
                for group in shared
            )
        )
    Resource.objects.bulk_update(
        resources, ["normalised_url", "normalised_cited_urls"], batch_size=500
    )


class Migration(migrations.Migration):

    dependencies = [
        ("resources", "0015_failing_links"),
    ]

    operations = [
        migrations.RunPython(renormalise, migrations.RunPython.noop),
    ]
