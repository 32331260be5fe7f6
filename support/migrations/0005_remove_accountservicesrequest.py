"""The Account Services request table is gone: those requests are tickets now (0004)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("support", "0004_account_services_requests_to_tickets")]
    operations = [
        migrations.RemoveField(
            model_name='historicalaccountservicesrequest',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalaccountservicesrequest',
            name='organization',
        ),
        migrations.RemoveField(
            model_name='historicalaccountservicesrequest',
            name='requester',
        ),
        migrations.DeleteModel(
            name='AccountServicesRequest',
        ),
        migrations.DeleteModel(
            name='HistoricalAccountServicesRequest',
        ),
    ]
