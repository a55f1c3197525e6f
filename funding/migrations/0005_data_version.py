from django.db import migrations

from qinshui_station import data_version

# Writes to these tables change the data version the page cache keys on (qinshui_station/data_version.py).


class Migration(migrations.Migration):
    dependencies = [("funding", "0004_tranche_trigger_one_lookup"), ("qinshui_station", "0006_data_version")]
    operations = [data_version.track_tables("funding")]
