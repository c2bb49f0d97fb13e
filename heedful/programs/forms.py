"""Validation of the sponsor programme's settings, for the API."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.programs.kinds import JOIN_REQUEST, VISIT_CADENCE
from heedful.programs.models import JoinRequest, VisitCadence


class VisitCadenceForm(HeedfulModelForm):
    class Meta:
        model = VisitCadence
        fields = VISIT_CADENCE.form_fields


class JoinRequestForm(HeedfulModelForm):
    """A change to a leader's request (what they want to hear); asking is ``ask_to_join``."""

    class Meta:
        model = JoinRequest
        fields = JOIN_REQUEST.form_fields
