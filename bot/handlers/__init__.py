"""Handlers, a module per feature; each exports HANDLERS for `build_application`."""
