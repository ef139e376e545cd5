"""The production profile on one machine: PostgreSQL, Redis, several Rasa processes behind nginx."""
