"""The bundled checklist library (one YAML file per room), shipped as package homeaudit.checklists.

This file only makes the folder a package, so that editable installs find it too; the loader
reads ``*.yaml`` and nothing else.
"""
