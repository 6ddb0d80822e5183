"""Counts of what people look for (docs/decisions/0021-insights.md), and the permission to see
them, given to both curator roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant(apps, schema_editor):
    app_config = apps.get_app_config("resources")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="resources", codename="view_insights")
    for group in Group.objects.filter(name__in=["Librarian", "Editor"]):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="resources", codename="view_insights").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('resources', '0028_ways_in'),
    ]

    operations = [
        migrations.CreateModel(
            name='InsightCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('search', 'Search'), ('view', 'Finder view'), ('resource', 'Resource page'), ('click', 'Click through')], max_length=10)),
                ('subject', models.CharField(max_length=500)),
                ('span', models.CharField(choices=[('day', 'Day'), ('week', 'Week')], default='day', max_length=4)),
                ('day', models.DateField()),
                ('count', models.PositiveIntegerField(default=0)),
                ('empty_count', models.PositiveIntegerField(default=0)),
                ('result_count', models.PositiveIntegerField(blank=True, null=True)),
            ],
            options={
                'permissions': [('view_insights', 'Can see what people look for (Insights)')],
                'default_permissions': (),
                'indexes': [models.Index(fields=['kind', 'day'], name='insight_count_kind_day')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'subject', 'span', 'day'), name='insight_count_one_per_day'), models.CheckConstraint(condition=models.Q(('kind__in', ['search', 'view', 'resource', 'click'])), name='insight_count_kind_valid'), models.CheckConstraint(condition=models.Q(('span__in', ['day', 'week'])), name='insight_count_span_valid')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
