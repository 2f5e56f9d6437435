"""Date formats per UI language (settings.FORMAT_MODULE_PATH), where Django's own differ from
the archive's: English dates read "30 October 2024"."""
