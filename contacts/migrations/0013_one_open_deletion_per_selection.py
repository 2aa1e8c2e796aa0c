import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

OPEN = ["scheduled", "running"]
MERGED = "It repeated a deletion of the same selection, which goes on and counts its contacts."


def merge_repeats(apps, schema_editor):
    """Before the constraint: of one user's open deletions of one selection (a double
    submit), the one furthest on stays and counts what the others deleted; they end as
    cancelled (and drop their filter, as every ended deletion does)."""
    BulkDeletion = apps.get_model("contacts", "BulkDeletion")
    kept = {}
    open_deletions = BulkDeletion.objects.filter(status__in=OPEN).order_by("id")
    for deletion in open_deletions.only(
        "id", "status", "progress_done", "requested_by_id", "filter_query", "max_contact_id"
    ):
        key = (deletion.requested_by_id, deletion.filter_query, deletion.max_contact_id)
        kept.setdefault(key, []).append(deletion)
    for repeats in kept.values():
        if len(repeats) < 2:
            continue
        # A running one goes on from where it is; else the one that did most, else the first.
        repeats.sort(key=lambda d: (d.status != "running", -d.progress_done, d.id))
        first, others = repeats[0], repeats[1:]
        BulkDeletion.objects.filter(pk__in=[d.pk for d in others]).update(
            status="cancelled", error=MERGED, filter_query="", finished_at=timezone.now()
        )
        BulkDeletion.objects.filter(pk=first.pk).update(
            progress_done=models.F("progress_done") + sum(d.progress_done for d in others)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0012_test_recipient_help"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(merge_repeats, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="bulkdeletion",
            constraint=models.UniqueConstraint(
                models.F("requested_by"),
                django.db.models.functions.text.MD5("filter_query"),
                models.F("max_contact_id"),
                condition=models.Q(("status__in", OPEN)),
                name="deletion_one_open_per_selection_and_user",
            ),
        ),
    ]
