from django.db import migrations

from qinshui_station import data_version

# The database's own version of its data, for the page cache (qinshui_station/data_version.py).


class Migration(migrations.Migration):
    dependencies = [("qinshui_station", "0005_ledger_order_index")]
    operations = [
        migrations.RunSQL(data_version.INSTALL, data_version.UNINSTALL),
        data_version.track_tables("qinshui_station"),
    ]
