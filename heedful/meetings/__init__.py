"""Meetings with customers: who comes, why it is worth the customer's time, the agenda
confirmed with them, notes, the playback of what we heard, action items on both sides, the
transcript and its conversation figures, and the link the customer opens to see what was
agreed."""
