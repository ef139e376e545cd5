"""Local services: a directory per kommune (content/kommuner/tjenester/), validated and loaded into the database
(`python -m bot.services validate|load`), read by actions/services.py through ServiceStore."""
