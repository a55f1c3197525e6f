"""The expert's assignment gets a state (assigned / submitted / withdrawn) in place of ``active``: a handed-in
opinion (``submitted_at``) is submitted, an assignment taken off (not active) is withdrawn, the rest assigned."""

from django.db import migrations, models

FORWARD = """
UPDATE applications_expertassignment SET state = CASE
    WHEN submitted_at IS NOT NULL THEN 'submitted'
    WHEN NOT active THEN 'withdrawn'
    ELSE 'assigned' END
"""
BACKWARD = """
UPDATE applications_expertassignment SET active = (state <> 'withdrawn')
"""


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0005_i14a_panel_votes_and_county'),
    ]

    operations = [
        migrations.AddField(
            model_name='expertassignment',
            name='state',
            field=models.CharField(choices=[('assigned', '已分配'), ('submitted', '已提交意见'), ('withdrawn', '已撤销分配')],
                                   default='assigned', max_length=20, verbose_name='状态'),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RemoveField(
            model_name='expertassignment',
            name='active',
        ),
        migrations.AddIndex(
            model_name='expertassignment',
            index=models.Index(fields=['expert', 'state'], name='assignment_expert_state'),
        ),
        migrations.AddConstraint(
            model_name='expertassignment',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['assigned', 'submitted', 'withdrawn'])),
                                              name='assignment_state_valid'),
        ),
        migrations.AddConstraint(
            model_name='expertassignment',
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(('state', 'submitted'), ('submitted_at__isnull', False)),
                                   models.Q(models.Q(('state', 'submitted'), _negated=True),
                                            ('submitted_at__isnull', True)), _connector='OR'),
                name='assignment_submitted_has_time'),
        ),
    ]
