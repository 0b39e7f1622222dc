"""service-handbook: service standards as YAML, checked and published as a handbook."""
