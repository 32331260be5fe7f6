"""Profiles' writes, one module per feature: `verb_noun(*, actor, ...)`, one transaction each."""
