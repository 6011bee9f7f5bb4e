"""Published claims by (-updated_at, -id): the order of the claim list, the API
claim list and `recently_updated()`. Replaces the (is_published, -updated_at)
index, which is its prefix."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_roles")]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["is_published", "-updated_at", "-id"], name="claim_published_recent_idx"
            ),
        ),
        migrations.RemoveIndex(model_name="claim", name="claim_published_updated_idx"),
    ]
