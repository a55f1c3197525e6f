from django.db import migrations

# Once installed the page cache's data-version triggers (issue 8). The page cache is gone (issue 16): this step
# does nothing now, and qinshui_station 0007_i16_drop_data_version removes what databases migrated before hold.


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_lock_finalized_rounds"), ("qinshui_station", "0006_data_version")]
    operations = []
