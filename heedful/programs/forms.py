"""Validation of the sponsor programme's settings, for the API."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.programs.kinds import VISIT_CADENCE
from heedful.programs.models import VisitCadence


class VisitCadenceForm(HeedfulModelForm):
    class Meta:
        model = VisitCadence
        fields = VISIT_CADENCE.form_fields
