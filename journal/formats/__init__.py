"""The journal's date formats, per language (FORMAT_MODULE_PATH): `desk` and a module each."""
