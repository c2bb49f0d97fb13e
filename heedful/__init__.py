"""Heedful: a self-hosted, relationship-centric CRM for B2B account teams."""
