"""Grants are asked for and approved by two different people, and those that open personal
data end on a date; written as constraints so that even a row written past the services
holds to them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('authorities', '0004_approve_existing_grants'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='membership',
            name='one_role_once',
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(condition=models.Q(('approved_at__isnull', True), ('revoked_at__isnull', True)), fields=('user', 'institution', 'role'), name='one_pending_grant'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('granted_by__isnull', True), models.Q(('granted_by', models.F('user')), _negated=True), _connector='OR'), name='grant_not_requested_by_holder'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('approved_by__isnull', True), models.Q(('approved_by', models.F('user')), _negated=True), _connector='OR'), name='grant_not_approved_by_holder'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('approved_by__isnull', True), ('granted_by__isnull', True), models.Q(('approved_by', models.F('granted_by')), _negated=True), _connector='OR'), name='grant_not_approved_by_requester'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('expires_on__isnull', False), ('role__in', ['auditor', 'system_admin']), _connector='OR'), name='personal_data_grant_expires'),
        ),
    ]
