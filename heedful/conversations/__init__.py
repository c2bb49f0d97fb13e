"""Conversation analytics: reading meeting transcripts (WebVTT, SRT, plain text, RTTM,
speaker-labelled JSON) and the figures of who spoke, asked and listened, as CONTRACTS.md
defines them. Needs no database: ``heedful transcript analyze`` runs it on a file alone, and
the meetings app stores what it computes."""
