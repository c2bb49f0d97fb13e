from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    """Transcripts and their figures: reading meeting transcripts and computing who spoke,
    asked and listened. No models: ``heedful transcript analyze`` works on a file alone, with
    no database, and the meetings app stores what it computes."""

    name = "heedful.conversations"
    label = "conversations"
    verbose_name = "Conversations"
